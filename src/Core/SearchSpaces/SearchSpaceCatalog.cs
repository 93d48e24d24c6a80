namespace Nas.Core.SearchSpaces;

/// <summary>The built-in SqueezeNAS spaces (§1.5 of the reference) and resolution of names or JSON files.</summary>
public static class SearchSpaceCatalog
{
    public static SearchSpace Small { get; } = SearchSpace.Create(new SearchSpaceDefinition
    {
        Name = "small",
        StemChannels = 16,
        Stages = [new(16, 4, 2), new(24, 4, 2), new(40, 4, 2), new(48, 4, 1), new(96, 4, 1)],
        LastConvChannels = 256,
        SkipBlockIndex = 7,
        Head = HeadKind.LrAspp,
        HeadChannels = 128,
    }, "built-in space 'small'");

    public static SearchSpace Large { get; } = SearchSpace.Create(new SearchSpaceDefinition
    {
        Name = "large",
        StemChannels = 16,
        Stages = [new(16, 1, 1), new(24, 4, 2), new(32, 4, 2), new(64, 4, 2), new(96, 4, 1), new(160, 4, 1), new(160, 1, 1)],
        SkipBlockIndex = 8,
        Head = HeadKind.LrAspp,
        HeadChannels = 128,
    }, "built-in space 'large'");

    public static SearchSpace XLarge { get; } = SearchSpace.Create(new SearchSpaceDefinition
    {
        Name = "xlarge",
        StemChannels = 48,
        Stages = [new(24, 1, 1), new(32, 4, 2), new(48, 4, 2), new(96, 4, 2), new(144, 4, 1), new(240, 4, 1), new(320, 1, 1)],
        SkipBlockIndex = 4,
        Head = HeadKind.AsppDecoder,
        HeadChannels = 160,
    }, "built-in space 'xlarge'");

    public static IReadOnlyList<SearchSpace> BuiltIn { get; } = [Small, Large, XLarge];

    public static SearchSpace? TryGet(string name) =>
        BuiltIn.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A built-in name (<c>small</c>, <c>large</c>, <c>xlarge</c>) or the path of a space JSON file.</summary>
    public static SearchSpace Resolve(string nameOrPath)
    {
        if (TryGet(nameOrPath) is SearchSpace builtIn)
        {
            return builtIn;
        }

        if (File.Exists(nameOrPath) || nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return SearchSpace.Load(nameOrPath);
        }

        throw new NasException(
            $"unknown search space '{nameOrPath}': expected {string.Join(", ", BuiltIn.Select(s => s.Name))} or a space JSON file");
    }
}
