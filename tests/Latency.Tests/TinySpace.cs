using Nas.Core.SearchSpaces;

namespace Nas.Latency.Tests;

/// <summary>A small custom space so that profiling tests take seconds.</summary>
internal static class TinySpace
{
    public static SearchSpace Create() => SearchSpace.Create(new SearchSpaceDefinition
    {
        Name = "tiny",
        StemChannels = 8,
        Stages = [new(8, 1, 2), new(16, 2, 2), new(16, 1, 2)],
        LastConvChannels = 32,
        SkipBlockIndex = 2,
        Head = HeadKind.LrAspp,
        HeadChannels = 8,
        Candidates = ["k3_e1_g1", "k3_e3_g1", "k5_e1_g2", "skip"],
    }, "tiny");
}
