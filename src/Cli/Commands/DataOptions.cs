using System.CommandLine;
using Nas.Training.Data;

namespace Nas.Cli.Commands;

/// <summary>The data options shared by <c>search</c> and <c>train</c>, merged over a config's <see cref="DataConfig"/>.</summary>
internal sealed class DataOptions
{
    private static readonly DataConfig s_defaults = new();

    public Option<string> Dataset { get; } = new("--dataset") { Description = "cityscapes, railsem19, synthetic, voc or folder", DefaultValueFactory = _ => s_defaults.Dataset };

    public Option<string> Root { get; } = new("--root") { Description = "dataset folder" };

    public Option<int> Batch { get; } = new("--batch") { Description = "images per batch", DefaultValueFactory = _ => s_defaults.Batch };

    public Option<int> Workers { get; } = new("--workers") { Description = "data-loading threads (0 = on the training thread)", DefaultValueFactory = _ => s_defaults.Workers };

    public Option<string> SplitFile { get; } = new("--split-file") { Description = "text file of image ids for the training split" };

    public Option<int?> Limit { get; } = new("--limit") { Description = "use at most N images per split (quick runs; N >= 1)" };

    public Option<bool> SkipBad { get; } = new("--skip-bad") { Description = "leave out unpaired, unreadable or out-of-range samples (counted) instead of failing" };

    public IEnumerable<Option> All => [Dataset, Root, Batch, Workers, SplitFile, Limit, SkipBad];

    public DataConfig Merge(ParseResult parse, DataConfig data)
    {
        if (parse.Given(Limit) && parse.GetValue(Limit) is int limit && limit < 1)
        {
            throw new Core.NasException($"--limit must be >= 1 (got {limit}); leave it out to use every image");
        }

        return MergeValues(parse, data);
    }

    private DataConfig MergeValues(ParseResult parse, DataConfig data) => data with
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
