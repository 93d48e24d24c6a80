using Microsoft.ML.OnnxRuntime;
using Nas.Core.Genotypes;
using Nas.Models.Registry;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.TestSupport;
using Nas.Weights.Import;
using static TorchSharp.torch;

namespace Nas.Supernet.Tests;

/// <summary>
/// Numerical parity with the independently built ONNX graph of the official MAC-Small network (official weights,
/// BatchNorm unfolded): an architecture mistake — a wrong resize mode, skip feature or pooling — moves the output
/// by about 2e-3 of its range; float rounding stays far below 1e-4.
/// </summary>
public class OfficialParityTests
{
    [SkippableFact]
    public void MacSmallWithOfficialWeightsMatchesTheReferenceGraph()
    {
        string? pth = SharedAssets.File("pretrained", "squeezenas", "mac_small.pth");
        string? onnx = SharedAssets.File("reference-models", "squeezenas_mac_small.onnx");
        Skip.If(pth is null || onnx is null, "needs ../shared/pretrained/squeezenas/mac_small.pth and ../shared/reference-models/squeezenas_mac_small.onnx");
        TorchRuntime.SetThreads(2);

        using var net = new NetworkModule(ModelRegistry.Resolve("squeezenas-mac-small"), initialize: false);
        StateDictLoadReport report = StateDictLoader.Load(net, OfficialWeights.Read(pth!, net.Spec), pth!);
        Assert.Equal(net.state_dict().Count, report.Loaded);
        net.eval();

        var random = new Random(1234);
        float[] input = new float[3 * 1024 * 2048];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (float)((random.NextDouble() * 4.0) - 2.0);
        }

        float[] ours;
        using (no_grad())
        using (NewDisposeScope())
        {
            ours = net.call(tensor(input, [1, 3, 1024, 2048])).data<float>().ToArray();
        }

        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        using var session = new InferenceSession(onnx!, options);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [1, 3, 1024, 2048]);
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(new RunOptions(), ["input"], [inputValue], ["logits"]);
        ReadOnlySpan<float> reference = outputs[0].GetTensorDataAsSpan<float>();
        Assert.Equal(reference.Length, ours.Length);

        float min = float.MaxValue, max = float.MinValue, maxDiff = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            min = Math.Min(min, reference[i]);
            max = Math.Max(max, reference[i]);
            maxDiff = Math.Max(maxDiff, Math.Abs(reference[i] - ours[i]));
        }

        double relative = maxDiff / (max - min);
        Assert.True(relative <= 1e-4, $"max |difference| {maxDiff} is {relative:E2} of the reference range {max - min}");
    }

    [SkippableTheory]
    [InlineData("mac_small.pth", "squeezenas-mac-small")]
    [InlineData("lat_small.pth", "squeezenas-lat-small")]
    [InlineData("mac_large.pth", "squeezenas-mac-large")]
    public void OfficialWeightsLoadStrictly(string file, string network)
    {
        string? pth = SharedAssets.File("pretrained", "squeezenas", file);
        Skip.If(pth is null, $"needs ../shared/pretrained/squeezenas/{file}");
        using var net = new NetworkModule(ModelRegistry.Resolve(network), initialize: false);
        StateDictLoadReport report = StateDictLoader.Load(net, OfficialWeights.Read(pth!, net.Spec), pth!);
        Assert.Equal(net.state_dict().Count, report.Loaded);

        // The same weights do not fit another genotype: the error lists what is wrong.
        string other = network == "squeezenas-mac-small" ? "squeezenas-lat-small" : "squeezenas-mac-small";
        Nas.Core.NasException e = Assert.Throws<Nas.Core.NasException>(() => OfficialWeights.Read(pth!, ModelRegistry.Resolve(other)));
        Assert.Contains(file, e.Message);
    }
}
