using CsvHelper;
using Nas.Core;
using Nas.TestSupport;
using Nas.Training.Runs;

namespace Nas.Training.Tests;

public class RunFolderTests
{
    [Fact]
    public void ExistingRunsNeedResumeOrForceAndResumeNeedsTheSameConfig()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("run");
        var config = new TestConfig("a", 10);
        RunFolder first = RunFolder.Open(path, "search", config, resume: false, force: false);
        Assert.False(first.Resumed);
        Assert.True(File.Exists(first.ConfigPath));

        NasException again = Assert.Throws<NasException>(() => RunFolder.Open(path, "search", config, false, false));
        Assert.Contains("--resume", again.Message);

        RunFolder resumed = RunFolder.Open(path, "search", config with { Epochs = 20 }, resume: true, force: false, mutableKeys: ["epochs"]);
        Assert.True(resumed.Resumed);

        NasException different = Assert.Throws<NasException>(() => RunFolder.Open(path, "search", config with { Dataset = "b" }, true, false));
        Assert.Contains("dataset: 'a' in the run, 'b' now", different.Message);

        NasException kind = Assert.Throws<NasException>(() => RunFolder.Open(path, "train", config, true, false));
        Assert.Contains("'search'", kind.Message);

        File.WriteAllText(Path.Combine(path, "junk.txt"), "x");
        RunFolder forced = RunFolder.Open(path, "train", config, resume: false, force: true);
        Assert.False(File.Exists(Path.Combine(path, "junk.txt")));
        Assert.False(forced.Resumed);
    }

    [Fact]
    public void ForeignFoldersAndEmptyResumesAreRefused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("something.txt"), "x");
        Assert.Contains("not a Nas run folder", Assert.Throws<NasException>(() => RunFolder.Open(dir.Path, "train", new TestConfig("a", 1), false, false)).Message);
        Assert.Contains("nothing to resume", Assert.Throws<NasException>(() => RunFolder.Open(dir.Combine("new"), "train", new TestConfig("a", 1), true, false)).Message);
    }

    [Fact]
    public void MetricsCsvAppendsAndTruncatesForResume()
    {
        using var dir = new TempDirectory();
        var csv = new MetricsCsv<EpochRow>(dir.Combine("metrics.csv"), r => r.Epoch);
        csv.Append(new EpochRow(1, 0.9));
        csv.Append(new EpochRow(2, 0.7));
        csv.Append(new EpochRow(3, 0.5));
        csv.TruncateAfter(2);
        Assert.Equal([1, 2], csv.ReadAll().Select(r => r.Epoch));
        Assert.StartsWith("epoch,loss", File.ReadAllText(csv.Path));
    }

    [Fact]
    public void ResumeNamesTheDifferingNestedField()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("run");
        var config = new NestedConfig("small", new SearchPart(0.5, [1, 2]));
        RunFolder.Open(path, "search", config, resume: false, force: false);
        NasException lambda = Assert.Throws<NasException>(() => RunFolder.Open(path, "search", config with { Search = new SearchPart(1, [1, 2]) }, true, false));
        Assert.Contains("search.lambda: 0.5 in the run, 1 now", lambda.Message);
        NasException list = Assert.Throws<NasException>(() => RunFolder.Open(path, "search", config with { Search = new SearchPart(0.5, [1, 3]) }, true, false));
        Assert.Contains("search.sizes[1]: 2 in the run, 3 now", list.Message);
    }

    [Fact]
    public void ResumeDeletesTheTempFilesOfInterruptedWritesOnly()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("run");
        var config = new TestConfig("a", 1);
        RunFolder first = RunFolder.Open(path, "train", config, resume: false, force: false);
        string orphan = Path.Combine(first.CheckpointDirectory, $".last.ckpt.{Guid.NewGuid():N}.tmp");
        string orphanCsv = Path.Combine(path, $".metrics.csv.{Guid.NewGuid():N}.tmp");
        string userFile = Path.Combine(path, ".notes.tmp");
        File.WriteAllText(orphan, "half a checkpoint");
        File.WriteAllText(orphanCsv, "epoch");
        File.WriteAllText(userFile, "mine");

        RunFolder resumed = RunFolder.Open(path, "train", config, resume: true, force: false);
        Assert.False(File.Exists(orphan));
        Assert.False(File.Exists(orphanCsv));
        Assert.True(File.Exists(userFile));
        Assert.Equal(2, resumed.RemovedTempFiles.Count);
    }

    public sealed record TestConfig(string Dataset, int Epochs);

    public sealed record SearchPart(double Lambda, IReadOnlyList<int> Sizes);

    public sealed record NestedConfig(string Space, SearchPart Search);
}

[CsvRecord]
public sealed partial record EpochRow([property: CsvColumn("epoch")] int Epoch, [property: CsvColumn("loss")] double Loss);
