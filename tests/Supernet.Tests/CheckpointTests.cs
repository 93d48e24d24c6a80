using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.SearchSpaces;
using Nas.Models.Registry;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Nas.TestSupport;
using Nas.Weights.Checkpoints;
using static TorchSharp.torch;

namespace Nas.Supernet.Tests;

public class CheckpointTests
{
    [Fact]
    public void NetworkCheckpointRoundTripsWeightsAndGenotype()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        using var net = new NetworkModule(ModelRegistry.Resolve("squeezenas-lat-small", 7));
        string path = dir.Combine("net.ckpt");
        NasCheckpoint.Save(path, net, NasCheckpoint.MetadataFor(net, "test"), new Dictionary<string, byte[]> { ["extra.bin"] = [1, 2, 3] });

        CheckpointFile ckpt = CheckpointFile.Load(path);
        Assert.Equal(7, ckpt.Metadata.Classes);
        Assert.Equal([1, 2, 3], ckpt.Extras["extra.bin"]);
        using NetworkModule restored = ckpt.CreateNetwork();
        Assert.Equal(net.Spec.Genotype!.Genotype, restored.Spec.Genotype!.Genotype);
        net.eval();
        restored.eval();
        using var noGrad = no_grad();
        Tensor x = randn(1, 3, 32, 64);
        Assert.True(net.call(x).allclose(restored.call(x)));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void SupernetCheckpointRoundTrips()
    {
        using var dir = new TempDirectory();
        using var supernet = new SqueezeNasSupernet(SearchSpaceCatalog.Small, 3);
        using (no_grad())
        {
            supernet.ArchParameters()[4][2] = tensor(5f);
        }

        string path = dir.Combine("super.ckpt");
        NasCheckpoint.Save(path, supernet, NasCheckpoint.MetadataFor(supernet));
        using SqueezeNasSupernet restored = CheckpointFile.Load(path).CreateSupernet();
        Assert.Equal(supernet.Derive(), restored.Derive());
        Assert.Equal(2, restored.Derive().CandidateIndices[4]);
    }

    [Fact]
    public void LoadingIntoADifferentNetworkNamesTheMismatch()
    {
        using var dir = new TempDirectory();
        using var net = new NetworkModule(ModelRegistry.Resolve("squeezenas-mac-small"));
        string path = dir.Combine("mac.ckpt");
        NasCheckpoint.Save(path, net, NasCheckpoint.MetadataFor(net));
        using var other = new NetworkModule(ModelRegistry.Resolve("squeezenas-lat-small"));
        CheckpointFile ckpt = CheckpointFile.Load(path);
        NasException e = Assert.Throws<NasException>(() => ckpt.LoadInto(other));
        Assert.Contains("mac.ckpt", e.Message);
        Assert.Contains("small:k3_e1_g2", e.Message);

        // Loading the raw state dict into the other network reports the differing keys.
        NasException strict = Assert.Throws<NasException>(() => StateDictLoader.Load(other, ckpt.ByName, "mac.ckpt"));
        Assert.Contains("missing", strict.Message);
        Assert.Contains("unexpected", strict.Message);
    }

    [Fact]
    public void CorruptAndForeignFilesAreRejected()
    {
        using var dir = new TempDirectory();
        string junk = dir.Combine("junk.ckpt");
        File.WriteAllBytes(junk, [1, 2, 3, 4, 5]);
        Assert.Contains("junk.ckpt", Assert.Throws<NasException>(() => CheckpointFile.Load(junk)).Message);

        using var net = new NetworkModule(ModelRegistry.Resolve("squeezenas-mac-small"));
        string good = dir.Combine("good.ckpt");
        NasCheckpoint.Save(good, net, NasCheckpoint.MetadataFor(net));
        byte[] bytes = File.ReadAllBytes(good);
        string truncated = dir.Combine("truncated.ckpt");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Assert.Contains("truncated.ckpt", Assert.Throws<NasException>(() => CheckpointFile.Load(truncated)).Message);
        Assert.Contains("not found", Assert.Throws<NasException>(() => CheckpointFile.Load(dir.Combine("none.ckpt"))).Message);
    }
}
