using System.Text.Json;
using System.Text.Json.Nodes;
using Nas.Core;
using Nas.Core.IO;

namespace Nas.Training.Runs;

/// <summary>
/// A run folder: <c>config.json</c> (the resolved configuration), <c>run.json</c> (kind and creation time),
/// <c>log.txt</c>, <c>metrics.csv</c>, <c>checkpoints/</c> and <c>plots/</c>. Opening an existing run requires
/// <c>resume</c> (the configuration must match, apart from the keys the caller allows to change, e.g. epochs) or
/// <c>force</c> (the folder is emptied first); anything else is refused with a one-line error.
/// </summary>
public sealed class RunFolder
{
    private RunFolder(string path, bool resumed)
    {
        Path = System.IO.Path.GetFullPath(path);
        Resumed = resumed;
    }

    public string Path { get; }

    /// <summary>True when an existing run was opened with resume.</summary>
    public bool Resumed { get; }

    /// <summary>Temporary files of interrupted atomic writes (a killed run) that opening the folder deleted.</summary>
    public IReadOnlyList<string> RemovedTempFiles { get; private init; } = [];

    public string ConfigPath => Combine("config.json");

    public string RunInfoPath => Combine("run.json");

    public string LogPath => Combine("log.txt");

    public string MetricsPath => Combine("metrics.csv");

    public string CheckpointDirectory => Combine("checkpoints");

    public string PlotsDirectory => Combine("plots");

    public string LastCheckpointPath => System.IO.Path.Combine(CheckpointDirectory, "last.ckpt");

    public string BestCheckpointPath => System.IO.Path.Combine(CheckpointDirectory, "best.ckpt");

    /// <summary>True when the run folder at <paramref name="path"/> holds a <c>last.ckpt</c> to resume from.</summary>
    public static bool HasLastCheckpoint(string path) => File.Exists(System.IO.Path.Combine(System.IO.Path.GetFullPath(path), "checkpoints", "last.ckpt"));

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Opens or creates a run folder for a configuration record.</summary>
    /// <param name="mutableKeys">Top-level config keys allowed to differ when resuming (e.g. <c>epochs</c>).</param>
    public static RunFolder Open<TConfig>(string path, string kind, TConfig config, bool resume, bool force, IReadOnlyCollection<string>? mutableKeys = null)
    {
        if (resume && force)
        {
            throw new NasException("--resume and --force contradict each other: choose one");
        }

        string full = System.IO.Path.GetFullPath(path);
        string configJson = NasJson.Serialize(config);
        bool exists = Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any();
        var folder = new RunFolder(full, resumed: exists && resume);
        if (exists && force)
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(full))
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }

            exists = false;
        }

        if (exists)
        {
            if (!File.Exists(folder.RunInfoPath) || !File.Exists(folder.ConfigPath))
            {
                throw new NasException($"'{full}' is not empty and is not a Nas run folder; choose another -o/--output or pass --force to overwrite it");
            }

            RunInfo info = NasJson.ReadFile<RunInfo>(folder.RunInfoPath);
            if (info.Kind != kind)
            {
                throw new NasException($"'{full}' holds a '{info.Kind}' run, not a '{kind}' run; choose another -o/--output or pass --force");
            }

            if (!resume)
            {
                throw new NasException($"'{full}' already holds a {kind} run; pass --resume to continue it or --force to start over");
            }

            string? difference = FirstDifference(File.ReadAllText(folder.ConfigPath), configJson, mutableKeys ?? []);
            if (difference is not null)
            {
                throw new NasException($"cannot resume '{full}': its configuration differs: {difference} (pass --force to start over with the new configuration)");
            }

            folder = new RunFolder(full, resumed: true) { RemovedTempFiles = AtomicFile.DeleteTempFiles(full) };
        }
        else if (resume)
        {
            throw new NasException($"nothing to resume: '{full}' does not hold a run");
        }

        try
        {
            Directory.CreateDirectory(full);
            Directory.CreateDirectory(folder.CheckpointDirectory);
            Directory.CreateDirectory(folder.PlotsDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NasException($"cannot create the run folder '{full}': {e.Message}", e);
        }

        AtomicFile.WriteAllText(folder.ConfigPath, configJson + "\n");
        if (!folder.Resumed)
        {
            NasJson.WriteFile(folder.RunInfoPath, new RunInfo(kind, DateTime.UtcNow.ToString("O")));
        }

        return folder;
    }

    /// <summary>The first differing setting as <c>search.lambda: 0.5 in the run, 1 now</c>, or null when equal.</summary>
    private static string? FirstDifference(string savedJson, string newJson, IReadOnlyCollection<string> mutableKeys)
    {
        JsonObject saved = JsonNode.Parse(savedJson)?.AsObject() ?? [];
        JsonObject current = JsonNode.Parse(newJson)?.AsObject() ?? [];
        foreach (string key in saved.Select(kv => kv.Key).Union(current.Select(kv => kv.Key)))
        {
            if (mutableKeys.Contains(key))
            {
                continue;
            }

            saved.TryGetPropertyValue(key, out JsonNode? a);
            current.TryGetPropertyValue(key, out JsonNode? b);
            if (Difference(key, a, b) is string d)
            {
                return d;
            }
        }

        return null;
    }

    private static string? Difference(string path, JsonNode? saved, JsonNode? current)
    {
        if (JsonNode.DeepEquals(saved, current))
        {
            return null;
        }

        if (saved is JsonObject a && current is JsonObject b)
        {
            foreach (string key in a.Select(kv => kv.Key).Union(b.Select(kv => kv.Key)))
            {
                a.TryGetPropertyValue(key, out JsonNode? x);
                b.TryGetPropertyValue(key, out JsonNode? y);
                if (Difference($"{path}.{key}", x, y) is string d)
                {
                    return d;
                }
            }
        }

        if (saved is JsonArray l && current is JsonArray r && l.Count == r.Count)
        {
            for (int i = 0; i < l.Count; i++)
            {
                if (Difference($"{path}[{i}]", l[i], r[i]) is string d)
                {
                    return d;
                }
            }
        }

        return $"{path}: {Show(saved)} in the run, {Show(current)} now";
    }

    private static string Show(JsonNode? node) => node switch
    {
        null => "not set",
        JsonValue v when v.TryGetValue(out string? text) => $"'{text}'",
        _ => node.ToJsonString(),
    };

    private sealed record RunInfo(string Kind, string CreatedUtc);
}
