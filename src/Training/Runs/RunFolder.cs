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

    public string ConfigPath => Combine("config.json");

    public string RunInfoPath => Combine("run.json");

    public string LogPath => Combine("log.txt");

    public string MetricsPath => Combine("metrics.csv");

    public string CheckpointDirectory => Combine("checkpoints");

    public string PlotsDirectory => Combine("plots");

    public string LastCheckpointPath => System.IO.Path.Combine(CheckpointDirectory, "last.ckpt");

    public string BestCheckpointPath => System.IO.Path.Combine(CheckpointDirectory, "best.ckpt");

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
                throw new NasException($"'{full}' is not empty and is not a Nas run folder; choose another --out or pass --force to overwrite it");
            }

            RunInfo info = NasJson.ReadFile<RunInfo>(folder.RunInfoPath);
            if (info.Kind != kind)
            {
                throw new NasException($"'{full}' holds a '{info.Kind}' run, not a '{kind}' run; choose another --out or pass --force");
            }

            if (!resume)
            {
                throw new NasException($"'{full}' already holds a {kind} run; pass --resume to continue it or --force to start over");
            }

            string? difference = FirstDifference(File.ReadAllText(folder.ConfigPath), configJson, mutableKeys ?? []);
            if (difference is not null)
            {
                throw new NasException($"cannot resume '{full}': its configuration differs in '{difference}' (pass --force to start over with the new configuration)");
            }
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
            if (!JsonNode.DeepEquals(a, b))
            {
                return key;
            }
        }

        return null;
    }

    private sealed record RunInfo(string Kind, string CreatedUtc);
}
