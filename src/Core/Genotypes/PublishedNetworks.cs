using Nas.Core.SearchSpaces;

namespace Nas.Core.Genotypes;

/// <summary>
/// Registry of the six published SqueezeNAS networks, transcribed from the official <c>nets.py</c>,
/// and resolution of an architecture argument (a registry name, a genotype JSON file or genotype text).
/// </summary>
public static class PublishedNetworks
{
    public const int CityscapesClasses = 19;

    public static IReadOnlyList<PublishedNetwork> All { get; } =
    [
        Make("squeezenas-mac-small", SearchSpaceCatalog.Small, "mac_small.pth", 0.667727,
            "k3_e1_g2 k3_e1_g1 k3_e1_g1 k3_e1_g2 k5_e6_g1 k3_e1_g1 k3_e1_g1 k3_e1_g2_d2 k5_e6_g1 k3_e6_g1_d2 skip k3_e1_g2 " +
            "k5_e6_g1 k3_e3_g1_d2 k3_e1_g1_d2 k3_e1_g1_d2 k3_e6_g1_d2 k3_e1_g2_d2 k3_e1_g2_d2 k3_e1_g2_d2"),
        Make("squeezenas-mac-large", SearchSpaceCatalog.Large, "mac_large.pth", 0.724010,
            "k3_e1_g2 k3_e6_g1 k3_e1_g2_d2 k3_e1_g2 k3_e1_g2 k5_e6_g1 k5_e6_g1 k3_e6_g1_d2 k5_e6_g1 k5_e6_g1 k5_e6_g1 k5_e1_g1 " +
            "k3_e3_g1 k5_e6_g1 k3_e1_g1 k5_e1_g1 k3_e3_g1_d2 k3_e6_g1_d2 k3_e1_g2_d2 k3_e1_g2_d2 k3_e1_g2_d2 k3_e1_g1_d2"),
        Make("squeezenas-mac-xlarge", SearchSpaceCatalog.XLarge, "mac_xlarge.pth", 0.746209,
            "k3_e1_g2 k3_e3_g1 k3_e1_g2 k5_e1_g1 k3_e3_g1_d2 k5_e6_g1 k5_e1_g2 k3_e1_g2_d2 k3_e3_g1 k5_e6_g1 k3_e3_g1 skip " +
            "k3_e1_g2_d2 k5_e6_g1 k3_e1_g1 k5_e6_g1 skip k3_e6_g1_d2 k3_e1_g2_d2 k3_e1_g2_d2 k3_e1_g2_d2 k3_e3_g1_d2"),
        Make("squeezenas-lat-small", SearchSpaceCatalog.Small, "lat_small.pth", 0.680097,
            "k3_e1_g1 skip skip skip k3_e6_g1 k3_e6_g1 skip skip k5_e6_g1 k3_e6_g1_d2 k5_e1_g2 k3_e1_g2 k3_e6_g1_d2 " +
            "k3_e6_g1_d2 k3_e6_g1_d2 k3_e1_g1_d2 k3_e6_g1_d2 k3_e3_g1_d2 k3_e3_g1_d2 k3_e3_g1_d2"),
        Make("squeezenas-lat-large", SearchSpaceCatalog.Large, "lat_large.pth", 0.735059,
            "skip k3_e6_g1 k3_e3_g1 k3_e1_g1_d2 k3_e3_g1 k5_e6_g1 k3_e6_g1 k3_e3_g1 k3_e6_g1_d2 k5_e6_g1 k5_e1_g1 k5_e1_g1 " +
            "k5_e1_g2 k3_e6_g1_d2 k3_e6_g1_d2 k3_e6_g1_d2 k3_e1_g1 k3_e6_g1_d2 k3_e6_g1_d2 k3_e6_g1_d2 k3_e6_g1_d2 k3_e6_g1_d2"),
        Make("squeezenas-lat-xlarge", SearchSpaceCatalog.XLarge, "lat_xlarge.pth", 0.750556,
            "skip k3_e3_g1 k3_e3_g1 k3_e3_g1 k3_e1_g1_d2 k3_e6_g1 k3_e3_g1 k5_e6_g1 k5_e1_g2 k5_e6_g1 k3_e6_g1 k3_e1_g2_d2 " +
            "k3_e6_g1 k5_e6_g1 k3_e3_g1_d2 k3_e1_g2_d2 k3_e3_g1 k3_e6_g1_d2 k3_e3_g1_d2 k5_e1_g1 k3_e3_g1_d2 k3_e6_g1_d2"),
    ];

    public static PublishedNetwork? TryGet(string name)
    {
        string normalized = name.Trim().Replace('_', '-');
        return All.FirstOrDefault(n => string.Equals(n.Name, normalized, StringComparison.OrdinalIgnoreCase));
    }

    public static PublishedNetwork Get(string name) => TryGet(name)
        ?? throw new NasException($"unknown network '{name}': expected one of {string.Join(", ", All.Select(n => n.Name))}, a genotype JSON file or genotype text");

    /// <summary>
    /// Resolves an <c>--arch</c> argument: a published network name, a <c>genotype.json</c> path, or canonical
    /// genotype text (<c>small:k3_e1_g1,...</c>). <paramref name="classes"/> overrides the class count.
    /// </summary>
    public static NamedGenotype Resolve(string nameOrPath, int? classes = null)
    {
        NamedGenotype named;
        if (TryGet(nameOrPath) is PublishedNetwork published)
        {
            named = published.Genotype;
        }
        else if (File.Exists(nameOrPath) || nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            named = GenotypeFile.Load(nameOrPath);
        }
        else if (nameOrPath.Contains(':', StringComparison.Ordinal))
        {
            Genotype g = Genotype.Parse(nameOrPath);
            named = new NamedGenotype($"{g.Space.Name}-custom", g, CityscapesClasses);
        }
        else
        {
            named = Get(nameOrPath).Genotype;
        }

        if (classes is int c)
        {
            if (c < 1)
            {
                throw new NasException($"class count must be >= 1 (got {c})");
            }

            named = named with { Classes = c };
        }

        return named;
    }

    private static PublishedNetwork Make(string name, SearchSpace space, string weights, double miou, string ops)
    {
        Genotype genotype = Genotype.FromNames(space, ops.Split(' ', StringSplitOptions.RemoveEmptyEntries), name);
        return new PublishedNetwork(name, new NamedGenotype(name, genotype, CityscapesClasses) { Source = "SqueezeNAS nets.py" }, weights, miou);
    }
}
