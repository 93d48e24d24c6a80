using System.IO.Compression;
using System.Text;
using Nas.Core;
using Nas.TestSupport;
using Nas.Weights.Import;
using static Nas.Weights.Tests.Import.PyTorchCheckpointTests;
using static Nas.Weights.Tests.Import.TorchSaver;
using Global = Nas.Weights.Tests.Import.PythonPickler.Global;

namespace Nas.Weights.Tests.Import;

/// <summary>Hostile, broken and foreign files: each is refused with a one-line <see cref="NasException"/> naming the file.</summary>
public class PyTorchCheckpointRejectionTests
{
    private static NasException Rejected(string path, params string[] fragments)
    {
        NasException e = Assert.Throws<NasException>(() => PyTorchCheckpoint.Load(path));
        Assert.Contains(Path.GetFileName(path), e.Message);
        Assert.DoesNotContain('\n', e.Message);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, e.Message);
        }

        return e;
    }

    /// <summary>The sample state dict with one entry replaced by <paramref name="value"/>.</summary>
    private static PythonPickler.Reduce Tampered(object value)
    {
        Storage s = Storage.Floats("1", 1f, 2f);
        return StateDict([("a.weight", Tensor(s, 0, [2], [1])), ("a.payload", value), ("b.weight", Tensor(s, 1, [1], [1]))]);
    }

    private static byte[] Bytes(params object[] parts)
    {
        using var ms = new MemoryStream();
        foreach (object part in parts)
        {
            switch (part)
            {
                case char c:
                    ms.WriteByte((byte)c);
                    break;
                case int b:
                    ms.WriteByte((byte)b);
                    break;
                case string s:
                    byte[] utf8 = Encoding.UTF8.GetBytes(s);
                    ms.WriteByte((byte)'X');
                    ms.Write(BitConverter.GetBytes(utf8.Length));
                    ms.Write(utf8);
                    break;
                case byte[] raw:
                    ms.Write(raw);
                    break;
            }
        }

        return ms.ToArray();
    }

    [Theory]
    [InlineData("os", "system", Container.Legacy)]
    [InlineData("os", "system", Container.Zip)]
    [InlineData("builtins", "eval", Container.Legacy)]
    [InlineData("builtins", "exec", Container.Zip)]
    [InlineData("subprocess", "Popen", Container.Zip)]
    [InlineData("posix", "system", Container.Legacy)]
    [InlineData("torch.nn.modules.conv", "Conv2d", Container.Zip)]
    [InlineData("torch", "load", Container.Legacy)]
    public void GlobalsOutsideTheAllowListAreRefusedByName(string module, string name, Container container)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("evil.pth");
        File.WriteAllBytes(path, Save(Tampered(new PythonPickler.Reduce(new Global(module, name), ["touch /tmp/pwned"])), container));

        Rejected(path, $"'{module}.{name}'", "refusing to load global");
    }

    [Fact]
    public void StackGlobalIsCheckedAgainstTheAllowListToo()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("stack_global.pth");
        byte[] payload = Bytes("builtins", "eval", 0x93, "print(1)", 0x85, 'R');
        File.WriteAllBytes(path, Zip(Tampered(new PythonPickler.Raw(payload))));

        Rejected(path, "'builtins.eval'", "data.pkl");
    }

    [Theory]
    [InlineData('i', "INST ('i')")]
    [InlineData('o', "OBJ ('o')")]
    [InlineData(0x82, "EXT (0x82)")]
    [InlineData(0x92, "NEWOBJ_EX (0x92)")]
    [InlineData('P', "PERSID ('P')")]
    [InlineData(0x97, "NEXT_BUFFER (0x97)")]
    [InlineData(0xff, "0xff")]
    public void OpcodesThatImportOrCallAreRefused(int opcode, string name)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("opcode.pth");
        File.WriteAllBytes(path, Legacy(Tampered(new PythonPickler.Raw(Bytes('(', opcode, Encoding.ASCII.GetBytes("os\nsystem\n"))))));

        Rejected(path, name, "is not allowed", "at byte ");
    }

    [Fact]
    public void AllowedGlobalsCannotBeMisused()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("misuse.pth");

        File.WriteAllBytes(path, Legacy(Tampered(new PythonPickler.Reduce(new Global("torch", "FloatStorage"), [10L]))));
        Rejected(path, "'torch.FloatStorage' cannot be called");

        File.WriteAllBytes(path, Legacy(Tampered(new PythonPickler.Reduce(RebuildTensorV2, ["not a storage", 0L, Tuple([1]), Tuple([1]), false, PythonPickler.OrderedDict([])]))));
        Rejected(path, "_rebuild_tensor_v2 whose storage is not a storage reference");

        // A persistent id that is not a storage (torch.save(model) writes ('module', cls, file, source) ones).
        File.WriteAllBytes(path, Legacy(Tampered(new PythonPickler.Raw(Bytes('(', "module", 'N', 'N', 'N', 't', 'Q')))));
        Rejected(path, "persistent id 'module' is not a PyTorch storage reference");

        File.WriteAllBytes(path, Legacy(Tampered(new PythonPickler.Raw(Bytes('h', 200)))));
        Rejected(path, "memo entry 200 was never stored");
    }

    [Theory]
    [InlineData(Container.Legacy)]
    [InlineData(Container.Zip)]
    public void TruncationAnywhereIsReportedWithTheFileName(Container container)
    {
        using var dir = new TempDirectory();
        byte[] full = Save(SampleStateDict(), container);
        string path = dir.Combine($"cut-{container}.pth");
        for (int cut = 0; cut < full.Length; cut++)
        {
            File.WriteAllBytes(path, full[..cut]);
            NasException e = Assert.Throws<NasException>(() => PyTorchCheckpoint.Load(path));
            Assert.True(e.Message.Contains(path, StringComparison.Ordinal), $"cut at {cut}: {e.Message}");
        }
    }

    /// <summary>
    /// Seeded random corruption: every damaged file either loads (a changed data byte) with readable tensors, or is
    /// refused with a <see cref="NasException"/> — never another exception, a hang or a huge allocation.
    /// </summary>
    [Theory]
    [InlineData(Container.Legacy)]
    [InlineData(Container.Zip)]
    public void RandomCorruptionNeverEscapesAsAnotherException(Container container)
    {
        using var dir = new TempDirectory();
        byte[] full = Save(SampleStateDict(), container);
        string path = dir.Combine($"fuzz-{container}.pth");
        var random = new Random(20240611);
        int refused = 0;
        for (int trial = 0; trial < 1500; trial++)
        {
            byte[] damaged = (byte[])full.Clone();
            int changes = 1 + random.Next(3);
            for (int c = 0; c < changes; c++)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            File.WriteAllBytes(path, damaged);
            try
            {
                foreach (RawTensor t in PyTorchCheckpoint.Load(path))
                {
                    Assert.Equal(t.Numel, t.IsFloatingPoint ? t.ToFloatArray().Length : t.ToInt64Array().Length);
                }
            }
            catch (NasException e)
            {
                Assert.Contains(path, e.Message);
                refused++;
            }
        }

        Assert.InRange(refused, 100, 1500);
    }

    public static TheoryData<string, byte[], string> ForeignFiles() => new()
    {
        { "empty.pth", [], "empty" },
        { "photo.pth", [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1], "not a PyTorch checkpoint" },
        { "array.pth", [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], "not a PyTorch checkpoint" },
        { "notes.pth", Encoding.UTF8.GetBytes("weights: see README\n"), "not a PyTorch checkpoint" },
        { "noise.pth", new Random(7).GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 4096), "not a PyTorch checkpoint" },
        { "pickled_noise.pth", [0x80, 2, .. new Random(8).GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 4096)], "not a PyTorch checkpoint" },
        { "plain.pkl", PythonPickler.Dumps(new PythonPickler.Dict { { "w", 1.0 } }), "without PyTorch's magic number" },
        { "old.tar", TarHeader(), "tar-based checkpoint" },
    };

    [Theory]
    [MemberData(nameof(ForeignFiles))]
    public void NonCheckpointFilesAreRefused(string name, byte[] content, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine(name);
        File.WriteAllBytes(path, content);

        Rejected(path, expected);
    }

    [Fact]
    public void ZipArchivesThatAreNotTorchSaveCheckpointsAreRefused()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("bundle.zip");

        File.WriteAllBytes(path, MakeZip(("notes/readme.txt", "hello")));
        Rejected(path, "without 'notes/data.pkl'");

        File.WriteAllBytes(path, MakeZip(("data.pkl", "x")));
        Rejected(path, "is not in a folder");

        File.WriteAllBytes(path, MakeZip(("model/constants.pkl", "x"), ("model/code/__torch__.py", "def forward(self): ...")));
        Rejected(path, "TorchScript");

        File.WriteAllBytes(path, [.. "PK"u8, 3, 4, .. new byte[40]]);
        Rejected(path, "corrupt or truncated zip archive");
    }

    [Fact]
    public void MissingStorageFileFileNotFoundAndUnreadableInputsAreReported()
    {
        using var dir = new TempDirectory();
        Rejected(dir.Combine("absent.pth"), "file not found");

        string path = dir.Combine("no_storage.pth");
        Storage s = Storage.Floats("x", 1f);
        var writer = new TorchZipWriter("archive");
        writer.Add("data.pkl", PythonPickler.Dumps(PythonPickler.OrderedDict([new("w", Tensor(s, 0, [1], [1]))]), obj => obj is Storage ? new object?[] { "storage", new Global("torch", "FloatStorage"), "0", "cpu", 1L } : null));
        writer.Add("byteorder", "little"u8.ToArray());
        writer.Add("version", "3\n"u8.ToArray());
        File.WriteAllBytes(path, writer.Finish());
        Rejected(path, "storage record 'archive/data/0' is missing");
    }

    [Theory]
    [InlineData(Container.Legacy)]
    [InlineData(Container.Zip)]
    public void BigEndianCheckpointsAreRefused(Container container)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("ppc64.pth");
        File.WriteAllBytes(path, container == Container.Legacy ? Legacy(SampleStateDict(), littleEndian: false) : Zip(SampleStateDict(), byteOrder: "big"));

        Rejected(path, "big-endian");
    }

    [Fact]
    public void InconsistentLegacyFilesAreRefused()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("broken.pth");
        byte[] good = Legacy(SampleStateDict());

        byte[] magic = (byte[])good.Clone();
        magic[5] ^= 0x40;
        File.WriteAllBytes(path, magic);
        Rejected(path, "without PyTorch's magic number");

        byte[] version = (byte[])good.Clone();
        Assert.Equal((byte)'M', version[17]);
        version[18] = 0xe8; // 1001 -> 1000
        File.WriteAllBytes(path, version);
        Rejected(path, "unsupported legacy PyTorch format version 1000");

        var shortStorage = new Storage("FloatStorage", 4, Storage.Floats("5", 1f, 2f, 3f).Data, "5") { DeclaredNumel = 4 };
        File.WriteAllBytes(path, Legacy(StateDict([("w", Tensor(shortStorage, 0, [3], [1]))])));
        Rejected(path, "storage '5'", "needs 16 bytes");

        File.WriteAllBytes(path, Legacy(StateDict([("w", Tensor(Storage.Floats("5", 1f, 2f, 3f), 1, [3], [1]))])));
        Rejected(path, "tensor 'w'", "reaches past the end of its storage");

        File.WriteAllBytes(path, Legacy(StateDict([("w", Tensor(Storage.Floats("5", 1f, 2f, 3f), 2, [3], [-1]))])));
        Rejected(path, "negative");

        File.WriteAllBytes(path, Legacy(StateDict([("w", Tensor(Storage.Floats("5", 1f), 0, [1], [1])), ("v", Tensor(Storage.Longs("5", 1), 0, [1], [1]))])));
        Rejected(path, "storage '5' is declared twice");

        File.WriteAllBytes(path, Legacy(Tensor(Storage.Floats("5", 1f), 0, [1], [1])));
        Rejected(path, "holds a single tensor, not a state dict");

        File.WriteAllBytes(path, Legacy(StateDict([])));
        Rejected(path, "holds no tensors");
    }

    [Fact]
    public void InconsistentZipFilesAreRefused()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("broken.pt");

        File.WriteAllBytes(path, Zip(StateDict([("w", Tensor(new Storage("FloatStorage", 4, new byte[12], "0") { DeclaredNumel = 4 }, 0, [4], [1]))])));
        Rejected(path, "storage record 'archive/data/0' has 12 bytes, expected 16");

        File.WriteAllBytes(path, Zip(StateDict([("w", Tensor(Storage.Floats("0", 1f, 2f), 0, [2, 2], [2, 1]))])));
        Rejected(path, "tensor 'w' (size [2, 2], stride [2, 1], offset 0) reaches past the end");

        File.WriteAllBytes(path, Zip(StateDict([("w", Tensor(Storage.Floats("0", 1f, 2f), 0, [long.MaxValue / 2, 4], [4, 1]))])));
        Rejected(path, "tensor 'w'", "is out of range");
    }

    private static byte[] MakeZip(params (string Name, string Text)[] entries)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, string text) in entries)
            {
                using Stream s = zip.CreateEntry(name).Open();
                s.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return ms.ToArray();
    }

    private static byte[] TarHeader()
    {
        byte[] header = new byte[1024];
        Encoding.ASCII.GetBytes("storages").CopyTo(header, 0);
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(header, 257);
        return header;
    }
}
