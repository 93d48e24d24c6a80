using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;
using Nas.Supernet.Blocks;
using Nas.Supernet.Export;
using Nas.Supernet.Networks;
using static TorchSharp.torch;

namespace Nas.Supernet.Tests.Export;

public class OnnxExportTests
{
    public static TheoryData<string, int, int> Cases => new()
    {
        { "squeezenas-mac-small", 64, 128 },
        { "squeezenas-lat-small", 72, 100 },
        { "squeezenas-mac-large", 64, 128 },
        { "squeezenas-lat-large", 64, 128 },
        { "squeezenas-mac-xlarge", 64, 128 },
        { "squeezenas-lat-xlarge", 50, 70 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExportedNetworksMatchTorchSharp(string name, int height, int width)
    {
        TorchRuntime.SetThreads(2);
        manual_seed(11);
        using var net = new SqueezeNasNetwork(PublishedNetworks.Get(name).Genotype);
        RandomiseBatchNorm(net);
        net.eval();
        ModelProto model = OnnxExporter.Export(net, 1, height, width);
        Assert.Equal(8, model.IrVersion);
        Assert.Equal(17, model.OpsetImport[0].Version);
        OnnxVerification.Result r = OnnxVerification.Verify(net, model, 1, height, width);
        Assert.True(r.Relative < 1e-4, $"{name}: max |diff| {r.MaxAbsDifference} of range {r.OutputRange}");
    }

    [Fact]
    public void ArgmaxExportOutputsLabels()
    {
        using var net = new SqueezeNasNetwork(PublishedNetworks.Get("squeezenas-lat-small").Genotype);
        net.eval();
        ModelProto model = OnnxExporter.Export(net, 2, 64, 128, argmax: true);
        using InferenceSession session = OrtSessionFactory.Create(model.ToByteArray(), new OrtOptions());
        Assert.Equal("labels", session.OutputNames[0]);
        float[] input = new float[2 * 3 * 64 * 128];
        using var value = OrtValue.CreateTensorValueFromMemory(input, [2, 3, 64, 128]);
        using var outputs = session.Run(new RunOptions(), ["input"], [value], ["labels"]);
        Assert.Equal(new long[] { 2, 64, 128 }, outputs[0].GetTensorTypeAndShape().Shape);
    }

    [Fact]
    public void VerifyingAWrittenLabelFileComparesItsLabelsWithTorchSharpsArgmax()
    {
        TorchRuntime.SetThreads(2);
        using var dir = new Nas.TestSupport.TempDirectory();
        manual_seed(5);
        using var net = new SqueezeNasNetwork(PublishedNetworks.Get("squeezenas-lat-small").Genotype with { Classes = 4 });
        RandomiseBatchNorm(net);
        net.eval();
        string path = dir.Combine("labels.onnx");
        Nas.Onnx.Graphs.OnnxModelFile.Save(OnnxExporter.Export(net, 1, 64, 128, argmax: true), path);

        OnnxVerification.FileResult same = OnnxVerification.VerifyFile(net, path, 1, 64, 128);
        Assert.True(same.Labels);
        Assert.Equal(64 * 128, same.Pixels);
        Assert.True(same.Ok, $"{same.Agreeing} + {same.NearTies} ties of {same.Pixels}");

        // The same file against other weights: the labels no longer follow the network, and verification says so.
        manual_seed(6);
        using var other = new SqueezeNasNetwork(PublishedNetworks.Get("squeezenas-lat-small").Genotype with { Classes = 4 });
        RandomiseBatchNorm(other);
        OnnxVerification.FileResult different = OnnxVerification.VerifyFile(other, path, 1, 64, 128);
        Assert.False(different.Ok);
    }

    [Fact]
    public void EveryCandidateBlockExportsFaithfully()
    {
        // Each candidate at a stride-2 position (covers FactorizedReduce) and at a channel-changing one (projection).
        manual_seed(3);
        foreach (BlockPosition p in new[] { SearchSpaceCatalog.Small.Positions[4], SearchSpaceCatalog.Small.Positions[12], SearchSpaceCatalog.Small.Positions[13] })
        {
            foreach (CandidateOp op in SearchSpaceCatalog.Small.Candidates)
            {
                using var block = new FixedBlock(p, op);
                RandomiseBatchNorm(block);
                block.eval();
                var shape = new TensorShape(1, p.InChannels, 16, 32);
                ModelProto model = OnnxExporter.ExportBlock(block, shape, $"{op.Name}@{p.Index}");
                float[] x = Enumerable.Range(0, p.InChannels * 16 * 32).Select(i => (float)Math.Sin(i * 0.37)).ToArray();
                float[] expected;
                using (no_grad())
                using (NewDisposeScope())
                {
                    expected = block.call(tensor(x, [1, p.InChannels, 16, 32])).data<float>().ToArray();
                }

                using InferenceSession session = OrtSessionFactory.Create(model.ToByteArray(), new OrtOptions());
                using var value = OrtValue.CreateTensorValueFromMemory(x, [1, p.InChannels, 16, 32]);
                using var outputs = session.Run(new RunOptions(), ["input"], [value], ["output"]);
                float[] actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
                Assert.Equal(expected.Length, actual.Length);
                double diff = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
                Assert.True(diff < 1e-4, $"{op.Name} at position {p.Index}: max |diff| {diff}");
            }
        }
    }

    /// <summary>Non-trivial BatchNorm statistics so that folding is really exercised.</summary>
    private static void RandomiseBatchNorm(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (nn.Module m in module.modules())
        {
            if (m is TorchSharp.Modules.BatchNorm2d bn)
            {
                bn.running_mean!.copy_(randn(bn.running_mean.shape) * 0.1);
                bn.running_var!.copy_(rand(bn.running_var.shape) + 0.5);
                bn.weight.copy_(rand(bn.weight.shape) + 0.5);
                bn.bias!.copy_(randn(bn.bias.shape) * 0.1);
            }
        }
    }
}
