using System.Globalization;
using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Core.IO;
using Nas.Models.SqueezeNas;
using Nas.Models.Zoo.Fcn;
using Nas.Models.Zoo.Fpn;
using Nas.Models.Zoo.Torchvision;
using Nas.Models.Zoo.UNet;

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
        .. CaffeZooEntries(),

        // torchvision's segmentation models (docs/zoo/lraspp-mobilenet-v3.md, docs/zoo/deeplabv3.md). Published figures:
        // torchvision's weights metadata (num_params, COCO-val2017-VOC-labels mIoU), 21 classes.
        new("lraspp-mobilenet-v3-large", LrAsppGraphs.Family, "torchvision LR-ASPP on dilated MobileNetV3-Large", 21,
            r => LrAsppGraphs.Spec(r, MobileNetV3Features.Large()))
        {
            WeightFiles = ["lraspp_mobilenet_v3_large-d234d4ea.pth"],
            PublishedResult = "COCO val2017 (VOC labels) mIoU 57.9 % (torchvision)",
            PublishedParameters = 3_221_538,
            ExampleInput = (100, 148),
        },
        new("lraspp-mobilenet-v3-small", LrAsppGraphs.Family, "torchvision's LR-ASPP builder on dilated MobileNetV3-Small", 21,
            r => LrAsppGraphs.Spec(r, MobileNetV3Features.Small()))
        {
            ExampleInput = (100, 148),
        },
        new("deeplabv3-mobilenet-v3-large", DeepLabV3Graphs.Family, "torchvision DeepLabV3 (ASPP, aux FCN head) on dilated MobileNetV3-Large", 21,
            r => DeepLabV3Graphs.Spec(r, DeepLabV3Graphs.MobileNetV3Large))
        {
            Options = ["aux=true|false (auxiliary FCN head for training, default true)"],
            WeightFiles = ["deeplabv3_mobilenet_v3_large-fc3c493d.pth"],
            PublishedResult = "COCO val2017 (VOC labels) mIoU 60.3 % (torchvision)",
            PublishedParameters = 11_029_328,
            // OS16 map 13x13: every ASPP rate (12, 24, 36) reaches into the map from some position.
            ExampleInput = (208, 208),
        },
        new("deeplabv3-resnet50", DeepLabV3Graphs.Family, "torchvision DeepLabV3 (ASPP, aux FCN head) on ResNet-50, output stride 8", 21,
            r => DeepLabV3Graphs.Spec(r, DeepLabV3Graphs.ResNet50))
        {
            Options = ["aux=true|false (auxiliary FCN head for training, default true)"],
            WeightFiles = ["deeplabv3_resnet50_coco-cd0a2569.pth"],
            PublishedResult = "COCO val2017 (VOC labels) mIoU 66.4 % (torchvision)",
            PublishedParameters = 42_004_074,
            // Small on purpose (the conformance kit runs it in TorchSharp and ONNX Runtime); the OS8 map is 8x8, so the ASPP
            // rates reduce to the centre tap here; deeplabv3-mobilenet-v3-large's example exercises rate 12.
            ExampleInput = (64, 64),
        },
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
    /// Resolves an <c>--arch</c> argument to a network: a registered name (optionally with model options,
    /// <c>NAME:key=value;key=value</c>, e.g. <c>deeplabv3-resnet50:aux=false</c>), a <c>genotype.json</c> or layer-graph
    /// JSON file, or canonical genotype text. <paramref name="classes"/> overrides the class count.
    /// </summary>
    public static NetworkSpec Resolve(string arch, int? classes = null, IReadOnlyDictionary<string, string>? options = null)
    {
        if (TryGet(arch) is ModelEntry entry)
        {
            return Build(entry, classes, options);
        }

        if (SplitOptions(arch) is (ModelEntry withOptions, Dictionary<string, string> parsed))
        {
            if (options is { Count: > 0 })
            {
                foreach ((string key, string value) in options)
                {
                    parsed[key] = value;
                }
            }

            return Build(withOptions, classes, parsed);
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

    /// <summary><c>NAME:key=value;key=value</c> for a registered NAME; null for anything else (genotype text has no '=').</summary>
    private static (ModelEntry, Dictionary<string, string>)? SplitOptions(string arch)
    {
        int colon = arch.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !arch.Contains('=', StringComparison.Ordinal) || TryGet(arch[..colon]) is not ModelEntry entry)
        {
            return null;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string item in arch[(colon + 1)..].Split(';', StringSplitOptions.TrimEntries))
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == item.Length - 1)
            {
                throw new NasException($"'{arch}': model option '{item}' must be key=value (NAME:key=value;key=value)");
            }

            options[item[..eq].Trim()] = item[(eq + 1)..].Trim();
        }

        return (entry, options);
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

    /// <summary>The networks defined by Caffe prototxts: the Xilinx tutorial's FPN and U-Nets, DIGITS' FCN-AlexNet.</summary>
    private static IEnumerable<ModelEntry> CaffeZooEntries() =>
    [
        new(FpnGraphs.Name, FpnGraphs.Family, "FPN on a BatchNorm GoogLeNet (Xilinx segmentation tutorial, Caffe)", FpnGraphs.DefaultClasses, FpnGraphs.Spec)
        {
            // The tutorial's caffemodel is Git LFS in the public repository; no parameter count is published.
            // Multiples of 32; 32x64 takes C5 to 1x2, so every upsampling and sum has more than one position.
            ExampleInput = (32, 64),
        },
        new(UNetGraphs.FullName, UNetGraphs.Family, "U-Net, 64 base channels (Xilinx segmentation tutorial, Caffe)", UNetGraphs.DefaultClasses, r => UNetGraphs.Spec(r, lite: false))
        {
            // Multiples of 16: the smallest size whose deepest map (1/16) is not a single position.
            ExampleInput = (16, 32),
        },
        new(UNetGraphs.LiteName, UNetGraphs.Family, "U-Net, 32 base channels (Xilinx segmentation tutorial, Caffe)", UNetGraphs.DefaultClasses, r => UNetGraphs.Spec(r, lite: true))
        {
            ExampleInput = (16, 32),
        },
        new(FcnAlexNetGraphs.Name, FcnAlexNetGraphs.Family, "FCN-32s on AlexNet (NVIDIA DIGITS example, Caffe), PASCAL VOC", FcnAlexNetGraphs.DefaultClasses, FcnAlexNetGraphs.Spec)
        {
            // The FCN paper (Table 1) rounds to 57 M, which the graph's 57,037,610 (with the trainable 63x63 upsampling
            // kernel) matches; DIGITS publishes no weights and no result (docs/zoo/fcn-alexnet.md).
            // The smallest sizes for which fc6 is 2x2 (so upscore's overlapping 63x63 windows add up) and pool1 rounds
            // up (ceil mode): 31..34 rows; 40 columns keeps the output non-square.
            ExampleInput = (32, 40),
        },
    ];
}
