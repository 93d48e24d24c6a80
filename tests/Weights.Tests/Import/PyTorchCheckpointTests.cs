using System.Buffers.Binary;
using System.IO.Compression;
using Nas.TestSupport;
using Nas.Weights.Import;
using static Nas.Weights.Tests.Import.TorchSaver;
using Global = Nas.Weights.Tests.Import.PythonPickler.Global;

namespace Nas.Weights.Tests.Import;

public class PyTorchCheckpointTests
{
    public enum Container
    {
        Legacy,
        Zip,
        ZipTorch16,
    }

    /// <summary>
    /// A module's state dict: float32 storage 0..5.5 shared by a weight, its transpose (offset 6) and a strided slice,
    /// a float16 vector, an int64 scalar, and a stride-0 (expanded) view.
    /// </summary>
    internal static PythonPickler.Reduce SampleStateDict()
    {
        Storage shared = Storage.Floats("140337449398144", Enumerable.Range(0, 12).Select(i => i * 0.5f).ToArray());
        Storage halves = Storage.Halves("140337449384512", 1.5f, -2.25f, 0.125f);
        Storage count = Storage.Longs("140337449371232", 123456789012);
        Storage bias = Storage.Floats("140337449402720", 1f, -2f, 3f);
        return StateDict(
            [
                ("conv.weight", Tensor(shared, 0, [2, 3], [3, 1])),
                ("conv.weight_t", Tensor(shared, 6, [3, 2], [1, 3])),
                ("conv.slice", Tensor(shared, 1, [2, 2], [6, 2])),
                ("bn.weight", Tensor(halves, 0, [3], [1])),
                ("bn.num_batches_tracked", Tensor(count, 0, [], [])),
                ("bias.expanded", Tensor(bias, 0, [2, 3], [0, 1])),
            ],
            string.Empty,
            "conv",
            "bn");
    }

    internal static byte[] Save(object root, Container container) => container switch
    {
        Container.Legacy => Legacy(root),
        Container.Zip => Zip(root),
        _ => Zip(root, archiveName: "resnet_epoch3", modern: false),
    };

    [Theory]
    [InlineData(Container.Legacy)]
    [InlineData(Container.Zip)]
    [InlineData(Container.ZipTorch16)]
    public void StridedSharedAndMixedTypeTensorsAreRead(Container container)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("sample.pth");
        File.WriteAllBytes(path, Save(SampleStateDict(), container));

        PyTorchStateDict state = PyTorchCheckpoint.Load(path);

        Assert.Equal(container == Container.Legacy ? PyTorchCheckpointFormat.Legacy : PyTorchCheckpointFormat.Zip, state.Format);
        Assert.Equal(["conv.weight", "conv.weight_t", "conv.slice", "bn.weight", "bn.num_batches_tracked", "bias.expanded"], state.Names);
        Assert.Null(state.ContainerKey);

        RawTensor weight = state["conv.weight"];
        Assert.Equal([0f, 0.5f, 1f, 1.5f, 2f, 2.5f], weight.ToFloatArray());
        Assert.True(weight.IsContiguous);

        // Element (i, j) of the transposed view is storage[6 + i + 3j].
        RawTensor transposed = state["conv.weight_t"];
        Assert.Equal([3L, 2], transposed.Shape);
        Assert.Equal([1L, 3], transposed.Strides);
        Assert.Equal(6, transposed.StorageOffset);
        Assert.False(transposed.IsContiguous);
        Assert.Equal([3f, 4.5f, 3.5f, 5f, 4f, 5.5f], transposed.ToFloatArray());
        Assert.Same(weight.Storage, transposed.Storage);
        Assert.Equal(12, weight.Storage.ElementCount);
        Assert.Equal("cpu", weight.Storage.Location);

        Assert.Equal([0.5f, 1.5f, 3.5f, 4.5f], state["conv.slice"].ToFloatArray());
        Assert.Same(weight.Storage, state["conv.slice"].Storage);

        RawTensor half = state["bn.weight"];
        Assert.Equal(TorchDType.Float16, half.DType);
        Assert.Equal([1.5f, -2.25f, 0.125f], half.ToFloatArray());

        RawTensor scalar = state["bn.num_batches_tracked"];
        Assert.Equal(TorchDType.Int64, scalar.DType);
        Assert.Empty(scalar.Shape);
        Assert.Equal(1, scalar.Numel);
        Assert.Equal([123456789012L], scalar.ToInt64Array());
        Assert.False(scalar.IsFloatingPoint);

        Assert.Equal([1f, -2f, 3f, 1f, -2f, 3f], state["bias.expanded"].ToFloatArray());
        Assert.All(state, t => Assert.False(t.RequiresGrad));
    }

    [Theory]
    [InlineData("state_dict")]
    [InlineData("model_state_dict")]
    [InlineData("model")]
    public void TrainingCheckpointsYieldTheirNestedStateDict(string key)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("checkpoint.pth");
        Storage momentum = Storage.Floats("7", 9f, 9f);
        var root = new PythonPickler.Dict
        {
            { "epoch", 3L },
            { "best_miou", 0.625 },
            { "arch", "squeezenas_mac_small" },
            { "optimizer", new PythonPickler.Dict { { "state", new PythonPickler.Dict { { 0L, new PythonPickler.Dict { { "momentum_buffer", Tensor(momentum, 0, [2], [1]) } } } } } } },
            { key, SampleStateDict() },
        };
        File.WriteAllBytes(path, Zip(root));

        PyTorchStateDict state = PyTorchCheckpoint.Load(path);

        Assert.Equal(key, state.ContainerKey);
        Assert.Equal(6, state.Count);
        Assert.Equal([3f, 4.5f, 3.5f, 5f, 4f, 5.5f], state["conv.weight_t"].ToFloatArray());
    }

    /// <summary>A checkpoint unpacked and re-zipped by another tool (deflated records, other order) still loads.</summary>
    [Fact]
    public void RecompressedZipArchivesAreRead()
    {
        Storage gpu = new("FloatStorage", 4, new byte[64], "0", location: "cuda:0");
        byte[] original = Zip(StateDict([("w", Tensor(gpu, 0, [4, 4], [4, 1])), ("v", Tensor(gpu, 15, [1], [1]))]));
        using var repacked = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(original), ZipArchiveMode.Read))
        using (var target = new ZipArchive(repacked, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (ZipArchiveEntry entry in source.Entries.Reverse())
            {
                using Stream from = entry.Open();
                using Stream to = target.CreateEntry(entry.FullName, CompressionLevel.SmallestSize).Open();
                from.CopyTo(to);
            }
        }

        using var dir = new TempDirectory();
        string path = dir.Combine("repacked.pt");
        File.WriteAllBytes(path, repacked.ToArray());

        PyTorchStateDict state = PyTorchCheckpoint.Load(path);

        Assert.True(repacked.Length < original.Length);
        Assert.Equal(new float[16], state["w"].ToFloatArray());
        Assert.Equal("cuda:0", state["v"].Storage.Location);
        Assert.Equal(15, state["v"].StorageOffset);
    }

    [Fact]
    public void NonTensorEntriesOfAStateDictAreListedAndSkipped()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("extra.pth");
        Storage s = Storage.Floats("1", 1f, 2f);
        File.WriteAllBytes(path, Legacy(new PythonPickler.Dict
        {
            { "head.weight", Tensor(s, 0, [2], [1]) },
            { "head._extra_state", new PythonPickler.Dict { { "classes", 19L } } },
            { "head.temperature", 1.5 },
        }));

        PyTorchStateDict state = PyTorchCheckpoint.Load(path);

        Assert.Equal(["head.weight"], state.Names);
        Assert.Equal(["head._extra_state", "head.temperature"], state.IgnoredEntries);
        Assert.False(state.Contains("head.temperature"));
        Assert.Throws<KeyNotFoundException>(() => state["head.temperature"]);
    }

    [Fact]
    public void ParametersKeepTheirRequiresGradFlag()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("params.pth");
        Storage s = Storage.Floats("0", 1f, 2f, 3f, 4f);
        var parameter = new PythonPickler.Reduce(
            new Global("torch._utils", "_rebuild_parameter"),
            [Tensor(s, 0, [2, 2], [2, 1], requiresGrad: true), true, PythonPickler.OrderedDict([])]);
        File.WriteAllBytes(path, Zip(PythonPickler.OrderedDict([new("fc.weight", parameter), new("fc.bias", Tensor(s, 2, [2], [1]))])));

        PyTorchStateDict state = PyTorchCheckpoint.Load(path);

        Assert.True(state["fc.weight"].RequiresGrad);
        Assert.Equal([1f, 2f, 3f, 4f], state["fc.weight"].ToFloatArray());
        Assert.False(state["fc.bias"].RequiresGrad);
        Assert.Equal([3f, 4f], state["fc.bias"].ToFloatArray());
    }

    /// <summary>torch 2.x saves dtypes without a typed storage class via _rebuild_tensor_v3 over an UntypedStorage.</summary>
    [Fact]
    public void UntypedStoragesWithAnExplicitDTypeAreRead()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("v3.pth");
        byte[] bytes = new byte[16];
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), i + 0.25f);
        }

        var untyped = new Storage("UntypedStorage", 1, bytes, "0") { Module = "torch.storage" };
        var tensor = new PythonPickler.Reduce(
            new Global("torch._utils", "_rebuild_tensor_v3"),
            [untyped, 1L, Tuple([2]), Tuple([2]), false, PythonPickler.OrderedDict([]), new Global("torch", "float32")]);
        File.WriteAllBytes(path, Zip(PythonPickler.OrderedDict([new("x", tensor)])));

        RawTensor x = PyTorchCheckpoint.Load(path)["x"];

        Assert.Equal(TorchDType.Float32, x.DType);
        Assert.Equal(TorchDType.UInt8, x.Storage.DType);
        Assert.Equal(16, x.Storage.ElementCount);
        Assert.Equal([1.25f, 3.25f], x.ToFloatArray());
    }

    /// <summary>torch &lt; 0.4 saved storage views: ('storage', type, root_key, location, root_numel, (view_key, offset, numel)).</summary>
    [Fact]
    public void LegacyStorageViewsAreResolvedAgainstTheirRootStorage()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("views.pth");
        Storage root = Storage.Floats("1000", 0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
        var view = new Storage(root.TypeName, 4, root.Data, root.Key) { View = ("1001", 3, 4) };
        File.WriteAllBytes(path, Legacy(new PythonPickler.Dict
        {
            { "whole", Tensor(root, 0, [8], [1]) },
            { "part", Tensor(view, 1, [2], [2]) },
        }));

        PyTorchStateDict state = PyTorchCheckpoint.Load(path);

        Assert.Equal([4f, 6f], state["part"].ToFloatArray());
        Assert.Equal(4, state["part"].StorageOffset);
        Assert.Same(state["whole"].Storage, state["part"].Storage);

        // A view element past the view's end is refused even though the root storage has it.
        File.WriteAllBytes(path, Legacy(new PythonPickler.Dict { { "part", Tensor(view, 3, [2], [1]) } }));
        Assert.Contains("reaches past the end", Assert.Throws<Nas.Core.NasException>(() => PyTorchCheckpoint.Load(path)).Message);
    }

    [Theory]
    [InlineData("DoubleStorage", 8, TorchDType.Float64)]
    [InlineData("BFloat16Storage", 2, TorchDType.BFloat16)]
    [InlineData("IntStorage", 4, TorchDType.Int32)]
    [InlineData("ShortStorage", 2, TorchDType.Int16)]
    [InlineData("CharStorage", 1, TorchDType.Int8)]
    [InlineData("ByteStorage", 1, TorchDType.UInt8)]
    [InlineData("BoolStorage", 1, TorchDType.Bool)]
    public void EveryElementTypeConverts(string storageType, int size, TorchDType dtype)
    {
        double[] values = dtype switch
        {
            TorchDType.UInt8 => [0, 7, 200],
            TorchDType.Bool => [1, 0, 1],
            _ => [-3, 0.5 * (dtype.IsFloatingPoint() ? 1 : 0), 100],
        };
        byte[] data = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            Span<byte> slot = data.AsSpan(i * size, size);
            switch (dtype)
            {
                case TorchDType.Float64: BinaryPrimitives.WriteDoubleLittleEndian(slot, values[i]); break;
                case TorchDType.BFloat16: BinaryPrimitives.WriteUInt16LittleEndian(slot, (ushort)(BitConverter.SingleToInt32Bits((float)values[i]) >> 16)); break;
                case TorchDType.Int32: BinaryPrimitives.WriteInt32LittleEndian(slot, (int)values[i]); break;
                case TorchDType.Int16: BinaryPrimitives.WriteInt16LittleEndian(slot, (short)values[i]); break;
                case TorchDType.Int8: slot[0] = (byte)(sbyte)values[i]; break;
                default: slot[0] = (byte)values[i]; break;
            }
        }

        using var dir = new TempDirectory();
        string path = dir.Combine("types.pth");
        File.WriteAllBytes(path, Zip(PythonPickler.OrderedDict([new("t", Tensor(new Storage(storageType, size, data, "0"), 0, [3], [1]))])));

        RawTensor t = PyTorchCheckpoint.Load(path)["t"];

        Assert.Equal(dtype, t.DType);
        Assert.Equal(values.Select(v => (float)v), t.ToFloatArray());
        if (dtype.IsFloatingPoint())
        {
            Assert.Throws<InvalidOperationException>(() => t.ToInt64Array());
        }
        else
        {
            Assert.Equal(values.Select(v => (long)v), t.ToInt64Array());
        }
    }

    /// <summary>The lazy negation bit (tensor metadata {'neg': True}) is applied when the data is read.</summary>
    [Fact]
    public void NegatedViewsAreReadNegated()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("neg.pth");
        Storage s = Storage.Floats("0", 1f, -2f);
        var tensor = new PythonPickler.Reduce(
            RebuildTensorV2,
            [s, 0L, Tuple([2]), Tuple([1]), false, PythonPickler.OrderedDict([]), new PythonPickler.Dict { { "neg", true } }]);
        File.WriteAllBytes(path, Zip(PythonPickler.OrderedDict([new("x", tensor)])));

        Assert.Equal([-1f, 2f], PyTorchCheckpoint.Load(path)["x"].ToFloatArray());
    }

    /// <summary>More than 256 memo entries (LONG_BINPUT/LONG_BINGET) and more than 1000 items (several SETITEMS batches).</summary>
    [Theory]
    [InlineData(Container.Legacy)]
    [InlineData(Container.Zip)]
    public void LargeStateDictsAreReadInOrder(Container container)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("large.pth");
        var entries = new List<(string, object)>();
        for (int i = 0; i < 2000; i++)
        {
            entries.Add(($"layer{i}.weight", Tensor(Storage.Floats($"{100000 + i}", i, -i), 0, [2], [1])));
        }

        File.WriteAllBytes(path, Save(StateDict(entries), container));

        PyTorchStateDict state = PyTorchCheckpoint.Load(path);

        Assert.Equal(2000, state.Count);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => $"layer{i}.weight"), state.Names);
        Assert.Equal([1999f, -1999f], state[1999].ToFloatArray());
    }
}
