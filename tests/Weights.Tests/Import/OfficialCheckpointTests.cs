using Nas.TestSupport;
using Nas.Weights.Import;

namespace Nas.Weights.Tests.Import;

/// <summary>The three official SqueezeNAS weight files (legacy format, saved on Windows by torch &lt; 1.6).</summary>
public class OfficialCheckpointTests
{
    [SkippableTheory]
    [InlineData("mac_small.pth", 366)]
    [InlineData("mac_large.pth", 414)]
    [InlineData("lat_small.pth", 294)]
    public void OfficialWeightsAreRead(string file, int tensorCount)
    {
        string? path = SharedAssets.File("pretrained", "squeezenas", file);
        Skip.If(path is null, $"needs ../shared/pretrained/squeezenas/{file}");

        PyTorchStateDict state = PyTorchCheckpoint.Load(path!);

        Assert.Equal(PyTorchCheckpointFormat.Legacy, state.Format);
        Assert.Null(state.ContainerKey);
        Assert.Empty(state.IgnoredEntries);
        Assert.Equal(tensorCount, state.Count);
        RawTensor stem = state["encoder.conv1.0.weight"];
        Assert.Equal([16L, 3, 3, 3], stem.Shape);
        Assert.Equal([27L, 9, 3, 1], stem.Strides);
        Assert.Equal(TorchDType.Float32, stem.DType);
        Assert.True(stem.IsContiguous);
        Assert.Equal(16 * 27, stem.ToFloatArray().Length);

        foreach (RawTensor t in state)
        {
            if (t.IsFloatingPoint)
            {
                Assert.All(t.ToFloatArray(), v => Assert.True(float.IsFinite(v), $"{t.Name} holds {v}"));
            }
            else
            {
                Assert.Equal(TorchDType.Int64, t.DType);
                Assert.EndsWith("num_batches_tracked", t.Name, StringComparison.Ordinal);
                Assert.Empty(t.Shape);
                Assert.True(t.ToInt64Array().Single() >= 0);
            }
        }

        // Batch-norm running variances are positive; weights are not all zero.
        Assert.All(state.Where(t => t.Name.EndsWith("running_var", StringComparison.Ordinal)), t => Assert.All(t.ToFloatArray(), v => Assert.True(v > 0)));
        Assert.Contains(stem.ToFloatArray(), v => v != 0);
    }

    /// <summary>
    /// Saving what was read with the test-side torch.save emulation reproduces the official file byte for byte:
    /// the reader loses nothing (keys, storage ids, locations, views, flags, order) and the writer used by the
    /// other tests writes what PyTorch writes.
    /// </summary>
    [SkippableTheory]
    [InlineData("mac_small.pth")]
    [InlineData("mac_large.pth")]
    [InlineData("lat_small.pth")]
    public void RewritingTheOfficialFileReproducesItByteForByte(string file)
    {
        string? path = SharedAssets.File("pretrained", "squeezenas", file);
        Skip.If(path is null, $"needs ../shared/pretrained/squeezenas/{file}");

        PyTorchStateDict state = PyTorchCheckpoint.Load(path!);
        var storages = new Dictionary<TorchStorage, TorchSaver.Storage>(ReferenceEqualityComparer.Instance);
        var root = new PythonPickler.Dict();
        foreach (RawTensor t in state)
        {
            if (!storages.TryGetValue(t.Storage, out TorchSaver.Storage? storage))
            {
                string type = t.Storage.DType switch
                {
                    TorchDType.Float32 => "FloatStorage",
                    TorchDType.Int64 => "LongStorage",
                    _ => throw new InvalidOperationException(t.Storage.DType.ToString()),
                };
                storage = new TorchSaver.Storage(type, t.Storage.DType.ElementSize(), t.Storage.Data.ToArray(), t.Storage.Key, t.Storage.Location);
                storages[t.Storage] = storage;
            }

            root.Add(t.Name, TorchSaver.Tensor(storage, t.StorageOffset, t.ShapeArray(), t.Strides.ToArray(), t.RequiresGrad));
        }

        byte[] rewritten = TorchSaver.Legacy(root, longSize: 4);
        byte[] original = File.ReadAllBytes(path!);
        Assert.Equal(original.Length, rewritten.Length);
        int firstDifference = Enumerable.Range(0, original.Length).FirstOrDefault(i => original[i] != rewritten[i], -1);
        Assert.True(firstDifference < 0, $"first difference at byte {firstDifference}");
    }
}
