using System.Globalization;
using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.IO;
using Nas.Models.SqueezeNas;

namespace Nas.Models.Registry;

/// <summary>
/// The registry of named networks every command uses, and resolution of an <c>--arch</c> argument: a registered name,
/// a genotype JSON file, genotype text (<c>small:k3_e1_g1,...</c>) or a layer-graph JSON file.
/// </summary>
public static class ModelRegistry
{
    public static IReadOnlyList<ModelEntry> All { get; } =
    [
        .. PublishedNetworks.All.Select(SqueezeNasEntry),
        Zoo.Enet.EnetGraphs.Entry(),
        Zoo.Enet.EnetGraphs.ReluDeconvEntry(),
        Zoo.Espnet.EspnetGraphs.Entry(),
        Zoo.Espnet.EspnetGraphs.EncoderEntry(),
    ];

    public static ModelEntry? TryGet(string name)
    {
        string normalized = name.Trim().Replace('_', '-');
        return All.FirstOrDefault(e => string.Equals(e.Name, normalized, StringComparison.OrdinalIgnoreCase));
    }

    public static NetworkSpec Build(ModelEntry entry, int? classes = null, IReadOnlyDictionary<string, string>? options = null)
    {
        int c = CheckClasses(classes ?? entry.DefaultClasses);
        return entry.Build(new ModelRequest(entry.Name, c, options ?? new Dictionary<string, string>()));
    }

    /// <summary>
    /// Resolves an <c>--arch</c> argument to a network: a registered name, a <c>genotype.json</c> or layer-graph JSON
    /// file, or canonical genotype text. <paramref name="classes"/> overrides the class count.
    /// </summary>
    public static NetworkSpec Resolve(string arch, int? classes = null, IReadOnlyDictionary<string, string>? options = null)
    {
        if (TryGet(arch) is ModelEntry entry)
        {
            return Build(entry, classes, options);
        }

        if (options is { Count: > 0 })
        {
            throw new NasException($"model options ({string.Join(", ", options.Keys)}) apply to registered models only, not to '{arch}'");
        }

        if (File.Exists(arch) || arch.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return FromFile(arch, classes);
        }

        if (!arch.Contains(':', StringComparison.Ordinal))
        {
            throw new NasException($"unknown network '{arch}': expected one of {string.Join(", ", All.Select(e => e.Name))}, a genotype JSON file, genotype text (SPACE:op0,op1,...) or a layer-graph JSON file");
        }

        NamedGenotype named = PublishedNetworks.Resolve(arch, classes);
        return SqueezeNasGraphs.Spec(named);
    }

    /// <summary>Rebuilds the network a checkpoint or file refers to.</summary>
    public static NetworkSpec Resolve(ArchitectureReference reference, int classes, string source)
    {
        switch (reference.Kind)
        {
            case ArchitectureReference.GenotypeKind when reference.Genotype is GenotypeDocument doc:
                return SqueezeNasGraphs.Spec(GenotypeFile.FromDocument(doc, source) with { Classes = CheckClasses(classes) });
            case ArchitectureReference.ModelKind when reference.Model is string model:
                ModelEntry entry = TryGet(model) ?? throw new NasException($"{source}: unknown model '{model}' (known: {string.Join(", ", All.Select(e => e.Name))})");
                return Build(entry, classes, reference.Options);
            case ArchitectureReference.GraphKind when reference.Graph is LayerGraph graph:
                return FromGraph(graph);
            default:
                throw new NasException($"{source}: architecture reference of kind '{reference.Kind}' is incomplete or unknown (expected genotype, model or graph)");
        }
    }

    public static NetworkSpec FromGraph(LayerGraph graph) => new()
    {
        Name = graph.Name,
        Architecture = ArchitectureReference.ForGraph(graph),
        Graph = graph,
        Classes = graph.ChannelsOf(graph.MainOutput.Value),
    };

    private static NetworkSpec FromFile(string path, int? classes)
    {
        if (!File.Exists(path))
        {
            throw new NasException($"file not found: '{path}'");
        }

        string json = File.ReadAllText(path);
        if (json.Contains("\"nodes\"", StringComparison.Ordinal))
        {
            NetworkSpec spec = FromGraph(NasJson.Deserialize<LayerGraph>(json, path));
            if (classes is int c && c != spec.Classes)
            {
                throw new NasException($"{path}: the graph outputs {spec.Classes} classes; a layer-graph file cannot be rebuilt for {c}");
            }

            return spec;
        }

        return SqueezeNasGraphs.Spec(PublishedNetworks.Resolve(path, classes));
    }

    private static int CheckClasses(int classes) =>
        classes >= 1 ? classes : throw new NasException($"class count must be >= 1 (got {classes.ToString(CultureInfo.InvariantCulture)})");

    private static ModelEntry SqueezeNasEntry(PublishedNetwork n) =>
        new(n.Name, SqueezeNasGraphs.Family, $"SqueezeNAS {n.Genotype.Genotype.Space.Name} space, {n.Name.Split('-')[1].ToUpperInvariant()}-searched",
            PublishedNetworks.CityscapesClasses, r =>
            {
                r.AllowOnly();
                return SqueezeNasGraphs.Spec(n.Genotype with { Classes = r.Classes });
            })
        {
            WeightFiles = [n.OfficialWeightsFile],
            PublishedResult = $"Cityscapes val class mIoU {n.OfficialClassMiou * 100:F2} % (official repository)",
            // LR-ASPP pools 49×49 at strides (16, 20): from 784×1120 the pooled gate is 1×2, so its resize is not a broadcast.
            ExampleInput = n.Genotype.Genotype.Space.Head == Core.SearchSpaces.HeadKind.LrAspp ? (784, 1120) : (112, 176),
        };
}
