using Nas.Core.IO;
using Nas.Core.SearchSpaces;

namespace Nas.Core.Genotypes;

/// <summary>Reads and writes <c>genotype.json</c> files (<see cref="GenotypeDocument"/>).</summary>
public static class GenotypeFile
{
    public const int DefaultClasses = 19;

    public static NamedGenotype Load(string path)
    {
        GenotypeDocument doc = NasJson.ReadFile<GenotypeDocument>(path);
        return FromDocument(doc, path);
    }

    public static NamedGenotype FromDocument(GenotypeDocument doc, string source)
    {
        SearchSpace space;
        if (doc.SpaceDefinition is not null)
        {
            space = SearchSpace.Create(doc.SpaceDefinition, $"{source}: space_definition");
            if (!string.Equals(space.Name, doc.Space, StringComparison.OrdinalIgnoreCase))
            {
                throw new NasException($"{source}: 'space' is '{doc.Space}' but 'space_definition.name' is '{space.Name}'");
            }
        }
        else
        {
            space = SearchSpaceCatalog.TryGet(doc.Space)
                ?? throw new NasException($"{source}: 'space' = '{doc.Space}' is not a built-in space (small, large, xlarge); embed a 'space_definition' for custom spaces");
        }

        if (doc.Ops is null)
        {
            throw new NasException($"{source}: 'ops' is missing");
        }

        Genotype genotype = Genotype.FromNames(space, doc.Ops.Select(o => (string?)o).ToList(), source);
        if (doc.Canonical is not null && doc.Canonical != genotype.CanonicalString)
        {
            throw new NasException($"{source}: 'canonical' does not match 'ops' (expected '{genotype.CanonicalString}')");
        }

        int classes = doc.Classes ?? DefaultClasses;
        if (classes < 1)
        {
            throw new NasException($"{source}: 'classes' must be >= 1 (got {classes})");
        }

        return new NamedGenotype(doc.Name ?? Path.GetFileNameWithoutExtension(source), genotype, classes)
        {
            Predicted = doc.Predicted,
            Source = doc.Source,
        };
    }

    public static GenotypeDocument ToDocument(NamedGenotype named)
    {
        Genotype g = named.Genotype;
        bool builtIn = SearchSpaceCatalog.TryGet(g.Space.Name) is SearchSpace b && b.Equals(g.Space);
        return new GenotypeDocument
        {
            Name = named.Name,
            Space = g.Space.Name,
            SpaceDefinition = builtIn ? null : g.Space.Definition,
            Ops = g.Ops.Select(o => o.Name).ToArray(),
            Classes = named.Classes,
            Canonical = g.CanonicalString,
            Predicted = named.Predicted,
            Source = named.Source,
        };
    }

    public static void Save(string path, NamedGenotype named) => NasJson.WriteFile(path, ToDocument(named));
}
