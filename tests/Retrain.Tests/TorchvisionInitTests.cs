using System.Buffers.Binary;
using System.Globalization;
using Nas.Core.Graphs;
using Nas.Core.Logging;
using Nas.Models;
using Nas.Models.Registry;
using Nas.Retrain.Initialization;
using Nas.Supernet.Networks;
using Nas.TestSupport;
using Nas.Weights.Tests.Import;
using static TorchSharp.torch;

namespace Nas.Retrain.Tests;

/// <summary>
/// <c>--init</c> from a torchvision-layout state dict (21 classes, written by the test): with another class count the
/// main and the auxiliary classifiers keep their fresh initialisation (and the log says so); everything else loads.
/// </summary>
public class TorchvisionInitTests
{
    [Theory]
    [InlineData("deeplabv3-mobilenet-v3-large", 5, new[] { "classifier.4.", "aux_classifier.4." })]
    [InlineData("deeplabv3-mobilenet-v3-large", 21, new string[0])]
    [InlineData("lraspp-mobilenet-v3-large", 3, new[] { "classifier.low_classifier.", "classifier.high_classifier." })]
    public void Init_from_torchvision_weights_reinitialises_the_classifiers_for_another_class_count(string model, int classes, string[] reinitialised)
    {
        using var dir = new TempDirectory();
        string pth = dir.Combine("torchvision.pth");
        IReadOnlyList<NamedParameter> official = ModelRegistry.Resolve(model).Graph.Parameters();
        File.WriteAllBytes(pth, Save(official));
        NetworkSpec spec = ModelRegistry.Resolve(model, classes);
        using var scope = NewDisposeScope();
        using var network = new NetworkModule(spec);
        Dictionary<string, Tensor> before = network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        File.WriteAllLines(dir.Combine("log.txt"), WeightInitializer.Apply(pth, network));

        Dictionary<string, Tensor> after = network.state_dict();
        for (int i = 0; i < official.Count; i++)
        {
            string name = official[i].Name;
            if (reinitialised.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                Assert.True(after[name].eq(before[name]).all().item<bool>(), $"{name} should keep its fresh initialisation");
            }
            else
            {
                // Every tensor of the file holds its index: it arrived under its own name.
                Assert.True(after[name].eq(i).all().item<bool>(), $"{name} was not loaded from the file");
            }
        }

        string text = File.ReadAllText(dir.Combine("log.txt"));
        Assert.Contains($"loaded {official.Count - (2 * reinitialised.Length)} tensors", text);
        if (reinitialised.Length > 0)
        {
            Assert.Contains($"classifier re-initialised for {classes} classes: {string.Join(", ", reinitialised.Select(p => p + "weight"))}", text);
        }
        else
        {
            Assert.DoesNotContain("re-initialised", text);
        }
    }

    /// <summary>torch.save of a state dict in the graph's (= torchvision's) key order, every tensor filled with its index.</summary>
    private static byte[] Save(IReadOnlyList<NamedParameter> parameters)
    {
        var entries = new List<(string, object)>();
        for (int i = 0; i < parameters.Count; i++)
        {
            long[] shape = parameters[i].Spec.Shape.Select(d => (long)d).ToArray();
            long numel = shape.Aggregate(1L, (a, d) => a * d);
            long[] strides = new long[shape.Length];
            for (int d = shape.Length - 1, s = 1; d >= 0; s *= (int)shape[d], d--)
            {
                strides[d] = s;
            }

            bool counter = parameters[i].Spec.Role == ParameterRole.BatchCounter;
            int size = counter ? 8 : 4;
            byte[] data = new byte[numel * size];
            for (long k = 0; k < numel; k++)
            {
                if (counter)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan((int)(k * 8)), i);
                }
                else
                {
                    BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan((int)(k * 4)), i);
                }
            }

            var storage = new TorchSaver.Storage(counter ? "LongStorage" : "FloatStorage", size, data, i.ToString(CultureInfo.InvariantCulture));
            entries.Add((parameters[i].Name, TorchSaver.Tensor(storage, 0, shape, strides)));
        }

        return TorchSaver.Zip(TorchSaver.StateDict(entries, string.Empty));
    }
}
