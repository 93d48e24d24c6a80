using System.Buffers.Binary;
using Nas.Core;
using Nas.Supernet.Import;
using Nas.TestSupport;
using static Nas.Supernet.Tests.Import.TorchFileWriter;

namespace Nas.Supernet.Tests.Import;

public class PyTorchCheckpointTests
{
    private static IReadOnlyList<TensorView> SampleTensors()
    {
        // A float32 storage of 12 values shared by a 2x3 tensor and a transposed 3x2 view starting at offset 6.
        byte[] floats = new byte[12 * 4];
        for (int i = 0; i < 12; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(floats.AsSpan(i * 4), i * 0.5f);
        }

        var shared = new Storage("100", "FloatStorage", floats, 4);
        byte[] halves = new byte[3 * 2];
        BinaryPrimitives.WriteHalfLittleEndian(halves.AsSpan(0), (Half)1.5f);
        BinaryPrimitives.WriteHalfLittleEndian(halves.AsSpan(2), (Half)(-2.25f));
        BinaryPrimitives.WriteHalfLittleEndian(halves.AsSpan(4), (Half)0.125f);
        byte[] longs = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(longs, 123456789012);
        return
        [
            new("a.weight", shared, 0, [2, 3], [3, 1]),
            new("a.transposed", shared, 6, [3, 2], [1, 3]),
            new("b.half", new Storage("200", "HalfStorage", halves, 2), 0, [3], [1]),
            new("b.num_batches_tracked", new Storage("300", "LongStorage", longs, 8), 0, [], []),
        ];
    }

    private static void AssertSample(IReadOnlyList<RawTensor> tensors)
    {
        Assert.Equal(["a.weight", "a.transposed", "b.half", "b.num_batches_tracked"], tensors.Select(t => t.Name));
        Assert.Equal([0f, 0.5f, 1f, 1.5f, 2f, 2.5f], tensors[0].Floats!);
        Assert.Equal([3L, 2], tensors[1].Shape);
        Assert.Equal([3f, 4.5f, 3.5f, 5f, 4f, 5.5f], tensors[1].Floats!); // element (i, j) = storage[6 + i + 3j] * 0.5
        Assert.Equal([1.5f, -2.25f, 0.125f], tensors[2].Floats!);
        Assert.Equal(TorchDType.Int64, tensors[3].DType);
        Assert.Empty(tensors[3].Shape);
        Assert.Equal([123456789012L], tensors[3].Integers!);
    }

    [Fact]
    public void LegacyFormatIsRead()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("legacy.pth");
        File.WriteAllBytes(path, Legacy(SampleTensors()));
        AssertSample(PyTorchCheckpoint.Load(path));
    }

    [Fact]
    public void ZipFormatIsRead()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("zip.pth");
        File.WriteAllBytes(path, Zip(SampleTensors()));
        AssertSample(PyTorchCheckpoint.Load(path));
    }

    [Fact]
    public void ArbitraryCodeIsRefused()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("evil.pth");
        byte[] evil = Pickle(w => w.Global("os", "system").Str("echo pwned").Op(0x85).Op('R'));
        File.WriteAllBytes(path, Legacy(SampleTensors(), _ => evil));
        NasException e = Assert.Throws<NasException>(() => PyTorchCheckpoint.Load(path));
        Assert.Contains("os.system", e.Message);
        Assert.Contains("evil.pth", e.Message);
    }

    [Fact]
    public void TruncatedAndForeignFilesAreRejectedWithTheFileName()
    {
        using var dir = new TempDirectory();
        byte[] full = Legacy(SampleTensors());
        foreach (int cut in new[] { 3, 20, 100, full.Length / 2, full.Length - 5 })
        {
            string path = dir.Combine($"cut{cut}.pth");
            File.WriteAllBytes(path, full[..cut]);
            NasException e = Assert.Throws<NasException>(() => PyTorchCheckpoint.Load(path));
            Assert.Contains($"cut{cut}.pth", e.Message);
        }

        string jpeg = dir.Combine("photo.pth");
        File.WriteAllBytes(jpeg, [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F']);
        Assert.Contains("not a PyTorch checkpoint", Assert.Throws<NasException>(() => PyTorchCheckpoint.Load(jpeg)).Message);

        string zipNoPickle = dir.Combine("other.zip");
        byte[] zip = Zip(SampleTensors());
        File.WriteAllBytes(zipNoPickle, zip[..(zip.Length / 3)]);
        Assert.Contains("other.zip", Assert.Throws<NasException>(() => PyTorchCheckpoint.Load(zipNoPickle)).Message);
    }

    [SkippableFact]
    public void OfficialSqueezeNasWeightsAreRead()
    {
        string? path = SharedAssets.File("pretrained", "squeezenas", "mac_small.pth");
        Skip.If(path is null, "needs ../shared/pretrained/squeezenas/mac_small.pth");
        IReadOnlyList<RawTensor> tensors = PyTorchCheckpoint.Load(path!);
        RawTensor stem = tensors.First(t => t.Name == "encoder.conv1.0.weight");
        Assert.Equal([16L, 3, 3, 3], stem.Shape);
        Assert.All(tensors.Where(t => t.Floats is not null), t => Assert.All(t.Floats!, v => Assert.True(float.IsFinite(v))));
        Assert.Contains(tensors, t => t.Name.EndsWith("num_batches_tracked", StringComparison.Ordinal) && t.Integers is not null);
    }
}
