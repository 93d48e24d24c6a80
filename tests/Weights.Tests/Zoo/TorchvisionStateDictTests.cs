using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using Nas.Core;
using Nas.Core.Tensors;
using Nas.Models;
using Nas.Models.Registry;
using Nas.TestSupport;
using Nas.Weights.Import;
using Nas.Weights.Tests.Import;

namespace Nas.Weights.Tests.Zoo;

/// <summary>
/// State dicts in torchvision's layout (every key of <c>lraspp_mobilenet_v3_large-d234d4ea.pth</c>,
/// <c>deeplabv3_resnet50_coco-cd0a2569.pth</c>, ... with its shape and dtype, <c>num_batches_tracked</c> included), written by
/// the test's torch.save emulation from the reference key lists of docs/zoo/tables, load strictly by name.
/// </summary>
public partial class TorchvisionStateDictTests
{
    [Theory]
    [InlineData("lraspp-mobilenet-v3-large", false)]
    [InlineData("lraspp-mobilenet-v3-small", true)]
    [InlineData("deeplabv3-mobilenet-v3-large", false)]
    [InlineData("deeplabv3-resnet50", true)]
    public void A_state_dict_in_torchvisions_layout_loads_strictly(string model, bool legacy)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine($"{model}.pth");
        (string Key, long[] Shape)[] keys = ReferenceKeys(model);
        File.WriteAllBytes(path, Save(keys, legacy));
        NetworkSpec spec = ModelRegistry.Resolve(model);

        PyTorchStateDict raw = PyTorchCheckpoint.Load(path);
        Assert.Equal(21, OfficialWeights.ClassCount(raw, spec));
        Dictionary<string, TensorData> tensors = OfficialWeights.Read(raw, spec);

        Assert.Equal(keys.Length, tensors.Count);
        Assert.Equal(spec.Graph.Parameters().Count, tensors.Count);
        for (int i = 0; i < keys.Length; i++)
        {
            // Each tensor starts with its position in the file: it arrived under its own name.
            TensorData t = tensors[keys[i].Key];
            Assert.Equal(i, t.IsFloatingPoint ? t.ToFloatArray()[0] : t.ToInt64Array()[0]);
        }
    }

    [Theory]
    [InlineData("deeplabv3-mobilenet-v3-large")]
    [InlineData("lraspp-mobilenet-v3-large")]
    public void Another_class_count_leaves_out_exactly_the_classifiers_and_aux_classifier(string model)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine($"{model}.pth");
        (string Key, long[] Shape)[] keys = ReferenceKeys(model);
        File.WriteAllBytes(path, Save(keys, legacy: false));
        NetworkSpec spec = ModelRegistry.Resolve(model, 5);
        PyTorchStateDict raw = PyTorchCheckpoint.Load(path);

        NasException strict = Assert.Throws<NasException>(() => OfficialWeights.Read(raw, spec));
        Assert.Contains("mis-shaped", strict.Message, StringComparison.Ordinal);

        Dictionary<string, TensorData> tensors = OfficialWeights.Read(raw, spec, skipClassifiers: true);
        string[] left = keys.Select(k => k.Key).Where(k => !tensors.ContainsKey(k)).ToArray();
        string[] expected = model.StartsWith("deeplab", StringComparison.Ordinal)
            ? ["classifier.4.weight", "classifier.4.bias", "aux_classifier.4.weight", "aux_classifier.4.bias"]
            : ["classifier.low_classifier.weight", "classifier.low_classifier.bias", "classifier.high_classifier.weight", "classifier.high_classifier.bias"];
        Assert.Equal(expected, left);
    }

    [Fact]
    public void Weights_of_the_other_backbone_are_refused_with_the_first_names()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("lraspp.pth");
        File.WriteAllBytes(path, Save(ReferenceKeys("lraspp-mobilenet-v3-large"), legacy: false));

        NasException e = Assert.Throws<NasException>(() => OfficialWeights.Read(path, ModelRegistry.Resolve("deeplabv3-mobilenet-v3-large")));

        Assert.Contains("lraspp.pth", e.Message, StringComparison.Ordinal);
        Assert.Contains("classifier.cbr.0.weight", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Without_the_auxiliary_head_the_official_aux_tensors_are_named_as_unknown()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("deeplab.pth");
        File.WriteAllBytes(path, Save(ReferenceKeys("deeplabv3-mobilenet-v3-large"), legacy: false));
        NetworkSpec noAux = ModelRegistry.Resolve("deeplabv3-mobilenet-v3-large", options: new Dictionary<string, string> { ["aux"] = "false" });

        NasException e = Assert.Throws<NasException>(() => OfficialWeights.Read(path, noAux));

        Assert.Contains("8 tensors have no counterpart", e.Message, StringComparison.Ordinal);
        Assert.Contains("aux_classifier.0.weight", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The reference key list (name, shape) of docs/zoo/tables/{model}.keys.md, in state_dict() order.</summary>
    private static (string Key, long[] Shape)[] ReferenceKeys(string model) =>
        File.ReadLines(Path.Combine(SharedAssets.RepositoryRoot, "docs", "zoo", "tables", $"{model}.keys.md"))
            .Select(l => KeyRow().Match(l)).Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value.Length == 0 ? Array.Empty<long>()
                : m.Groups[2].Value.Split(", ").Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray()))
            .ToArray();

    /// <summary>torch.save of a state dict: one contiguous storage per tensor, float32 parameters and statistics, int64 counters.</summary>
    private static byte[] Save((string Key, long[] Shape)[] keys, bool legacy)
    {
        var entries = new List<(string, object)>();
        for (int i = 0; i < keys.Length; i++)
        {
            (string key, long[] shape) = keys[i];
            long numel = shape.Aggregate(1L, (a, d) => a * d);
            long[] strides = new long[shape.Length];
            for (int d = shape.Length - 1, s = 1; d >= 0; s *= (int)shape[d], d--)
            {
                strides[d] = s;
            }

            bool counter = key.EndsWith(".num_batches_tracked", StringComparison.Ordinal);
            int size = counter ? 8 : 4;
            byte[] data = new byte[numel * size];
            if (counter)
            {
                BinaryPrimitives.WriteInt64LittleEndian(data, i);
            }
            else
            {
                BinaryPrimitives.WriteSingleLittleEndian(data, i);
            }

            var storage = new TorchSaver.Storage(counter ? "LongStorage" : "FloatStorage", size, data, (94_000_000L + i).ToString(CultureInfo.InvariantCulture));
            entries.Add((key, TorchSaver.Tensor(storage, 0, shape, strides, requiresGrad: false)));
        }

        PythonPickler.Reduce root = TorchSaver.StateDict(entries, string.Empty, "backbone", "classifier");
        return legacy ? TorchSaver.Legacy(root) : TorchSaver.Zip(root);
    }

    [GeneratedRegex(@"^\| \d+ \| `([^`]+)` \| \[([^\]]*)\] \|")]
    private static partial Regex KeyRow();
}
