namespace Nas.Models.Registry;

/// <summary>
/// A registered network: name (as in <c>nas arch list</c>), family, a one-line summary, its default class count, the
/// builder, official weight files (names) and the published figures it is compared with (with their source).
/// </summary>
public sealed record ModelEntry(string Name, string Family, string Summary, int DefaultClasses, Func<ModelRequest, NetworkSpec> Build)
{
    /// <summary>Options the builder accepts, for help text (<c>p=2</c>, <c>q=8</c>, <c>aux=true</c>).</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>File names of official weights the entry loads strictly (<c>mac_small.pth</c>).</summary>
    public IReadOnlyList<string> WeightFiles { get; init; } = [];

    /// <summary>Published accuracy with its source, e.g. "Cityscapes val class mIoU 66.77 % (official repository)".</summary>
    public string? PublishedResult { get; init; }

    /// <summary>
    /// A small input the network takes that still exercises every layer (pooling windows larger than one output, crops
    /// that crop): what the conformance tests run.
    /// </summary>
    public (int Height, int Width) ExampleInput { get; init; } = (96, 160);

    /// <summary>Published parameter count (with the default class count), when the source states one.</summary>
    public long? PublishedParameters { get; init; }
}
