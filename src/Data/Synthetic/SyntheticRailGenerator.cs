using Nas.Core;
using Nas.Core.IO;
using Nas.Core.Progress;
using Nas.Data.Datasets;
using Nas.Data.Images;

namespace Nas.Data.Synthetic;

/// <summary>
/// The embedded dataset: synthetic ego-view rail scenes written in the RailSem19 layout
/// (<c>jpgs/rs19_val/rsNNNNN.jpg</c>, <c>uint8/rs19_val/rsNNNNN.png</c>, <c>rs19-config.json</c>), so the RailSem19
/// loader reads them and every workflow runs with no download. Scene <c>i</c> depends only on (seed, i).
/// </summary>
public static class SyntheticRailGenerator
{
    public static (RgbImage Image, LabelMap Label) Generate(int width, int height, int seed, int index, SyntheticDifficulty difficulty = SyntheticDifficulty.Standard)
    {
        var rng = new Random(unchecked((seed * 1_000_003) + index));
        using var scene = new SyntheticRailScene(width, height, rng, difficulty);
        return scene.Render();
    }

    public static void WriteDataset(string outDir, int count, int height, int width, int seed, IProgress<ProgressInfo>? progress = null, CancellationToken cancellationToken = default, SyntheticDifficulty difficulty = SyntheticDifficulty.Standard)
    {
        if (count < 1 || count > 99_999)
        {
            throw new NasException($"--count must be in 1..99999 (got {count})");
        }

        if (height < 16 || width < 16 || height > 4096 || width > 4096)
        {
            throw new NasException($"--size must be between 16x16 and 4096x4096 (got {height}x{width})");
        }

        string images = Path.Combine(outDir, "jpgs", "rs19_val");
        string labels = Path.Combine(outDir, "uint8", "rs19_val");
        try
        {
            Directory.CreateDirectory(images);
            Directory.CreateDirectory(labels);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NasException($"cannot create '{outDir}': {e.Message}", e);
        }

        WriteConfig(Path.Combine(outDir, "rs19-config.json"));
        int done = 0;
        ParallelErrors.Run(() => Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            (RgbImage image, LabelMap label) = Generate(width, height, seed, i, difficulty);
            string id = $"rs{i:D5}";
            ImageCodec.Write(Path.Combine(images, id + ".jpg"), image, jpegQuality: 92);
            IndexedPng.WriteGray(Path.Combine(labels, id + ".png"), label);
            progress?.Report(new ProgressInfo("synth", Interlocked.Increment(ref done), count));
        }));
    }

    private static void WriteConfig(string path)
    {
        var config = new
        {
            labels = RailSem19Classes.All.Select(c => new { name = c.Name, color = new[] { (int)c.R, c.G, c.B }, readable = c.Name.Replace('-', ' ') }).ToArray(),
        };
        AtomicFile.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(config, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
