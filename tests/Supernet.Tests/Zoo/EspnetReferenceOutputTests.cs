using System.Buffers.Binary;
using Nas.Data.Images;
using Nas.Data.Transforms;
using Nas.Models;
using Nas.Models.Registry;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.TestSupport;
using Nas.Training.Data;
using Nas.Weights.Import;
using static TorchSharp.torch;

namespace Nas.Supernet.Tests.Zoo;

/// <summary>
/// ESPNet and ESPNet-C with the official weights against the outputs of an independent pure-python transcription of
/// the official forward pass (docs/zoo/scripts/espnet_reference.py, stored in Zoo/EspnetReference): same pattern
/// image, pushed through our data pipeline with the network's input convention (BGR, official mean/std).
/// </summary>
public class EspnetReferenceOutputTests
{
    private const int Height = 32, Width = 64;

    [SkippableTheory]
    [InlineData("espnet", "espnet_p_2_q_8", 20, Height, Width)]
    [InlineData("espnet-c", "espnet_c_p_2_q_8", 20, Height / 8, Width / 8)]
    public void Official_weights_reproduce_the_reference_output(string model, string file, int classes, int h, int w)
    {
        string? pth = SharedAssets.File("pretrained", "espnet", file + ".pth");
        Skip.If(pth is null, $"needs ../shared/pretrained/espnet/{file}.pth");
        TorchRuntime.SetThreads(2);

        using var network = new NetworkModule(ModelRegistry.Resolve(model, classes), initialize: false);
        StateDictLoadReport report = StateDictLoader.Load(network, OfficialWeights.Read(pth!, network.Spec), pth!);
        Assert.Equal(network.state_dict().Count, report.Loaded);
        network.eval();

        float[] expected = Reference(file + ".logits.bin");
        Assert.Equal(classes * h * w, expected.Length);
        float[] actual;
        using (NewDisposeScope())
        using (no_grad())
        {
            float[] image = SegmentationTransform.Normalize(Pattern(), new TransformOptions().For(network.Spec.Input));
            Tensor input = tensor(image, [1, 3, Height, Width]);
            long[] shape;
            if (model == "espnet-c")
            {
                // The reference stops at the 1/8 class scores (before the parameter-free x8 upsampling).
                (long[] Shape, float[] Values)? scores = null;
                var hook = ((TorchSharp.Modules.Conv2d)network.Layer("classifier.conv")!).register_forward_hook((_, _, o) =>
                {
                    scores = (o.shape, o.contiguous().data<float>().ToArray());
                    return o;
                });
                network.forward(input);
                hook.remove();
                (shape, actual) = scores!.Value;
            }
            else
            {
                Tensor output = network.forward(input);
                (shape, actual) = (output.shape, output.contiguous().data<float>().ToArray());
            }

            Assert.Equal([1L, classes, h, w], shape);
        }

        float range = expected.Max() - expected.Min();
        float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-4 * range, $"largest difference {worst} (output range {range})");
    }

    /// <summary>R = (7i + 3j) % 256, G = (ij + 11j) % 256, B = 255 − (13i + j²) % 256 at row i, column j.</summary>
    private static RgbImage Pattern()
    {
        var image = new RgbImage(Width, Height);
        for (int i = 0; i < Height; i++)
        {
            for (int j = 0; j < Width; j++)
            {
                int o = ((i * Width) + j) * 3;
                image.Pixels[o] = (byte)(((7 * i) + (3 * j)) % 256);
                image.Pixels[o + 1] = (byte)(((i * j) + (11 * j)) % 256);
                image.Pixels[o + 2] = (byte)(255 - (((13 * i) + (j * j)) % 256));
            }
        }

        return image;
    }

    private static float[] Reference(string file)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(SharedAssets.RepositoryRoot, "tests", "Supernet.Tests", "Zoo", "EspnetReference", file));
        return [.. Enumerable.Range(0, bytes.Length / 4).Select(k => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(k * 4)))];
    }
}
