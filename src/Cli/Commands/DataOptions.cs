using System.CommandLine;
using Nas.Training.Data;

namespace Nas.Cli.Commands;

/// <summary>The data options shared by <c>search</c> and <c>train</c>, merged over a config's <see cref="DataConfig"/>.</summary>
internal sealed class DataOptions
{
    public Option<string> Dataset { get; } = new("--dataset") { Description = "cityscapes, railsem19, synthetic, voc or folder (default synthetic)" };

    public Option<string> Root { get; } = new("--root") { Description = "dataset folder" };

    public Option<int?> Batch { get; } = new("--batch") { Description = "images per batch (default 4)" };

    public Option<int?> Workers { get; } = new("--workers") { Description = "data-loading threads (default 2)" };

    public Option<string> SplitFile { get; } = new("--split-file") { Description = "text file of image ids for the training split" };

    public Option<int?> Limit { get; } = new("--limit") { Description = "use at most N images per split (quick runs)" };

    public Option<bool> SkipBad { get; } = new("--skip-bad") { Description = "leave out unpaired, unreadable or out-of-range samples (counted) instead of failing" };

    public IEnumerable<Option> All => [Dataset, Root, Batch, Workers, SplitFile, Limit, SkipBad];

    public DataConfig Merge(ParseResult parse, DataConfig data) => data with
    {
        Dataset = parse.Pick(Dataset, data.Dataset),
        Root = parse.Pick(Root, data.Root),
        Batch = parse.Pick(Batch, data.Batch),
        Workers = parse.Pick(Workers, data.Workers),
        SplitFile = parse.Given(SplitFile) ? parse.GetValue(SplitFile) : data.SplitFile,
        Limit = parse.Pick(Limit, data.Limit),
        SkipBad = parse.Given(SkipBad) ? parse.GetValue(SkipBad) : data.SkipBad,
    };
}
