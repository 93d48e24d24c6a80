using System.IO.Compression;
using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.Graphs.Passes;
using Nas.Core.Tensors;
using Nas.Models;
using Nas.Models.Registry;
using Nas.TestSupport;
using Nas.Weights.Checkpoints;

namespace Nas.Weights.Tests.Checkpoints;

/// <summary>Checkpoint files read and written without a tensor library, old (format 1) files included.</summary>
public class CheckpointFileTests
{
    [Fact]
    public void A_format_1_checkpoint_with_only_a_genotype_still_loads()
    {
        using var dir = new TempDirectory();
        NetworkSpec spec = ModelRegistry.Resolve("squeezenas-mac-small", 5);
        Dictionary<string, TensorData> weights = RandomWeights.For(spec.Graph);
        string path = dir.Combine("old.ckpt");
        CheckpointFile.Save(path, new CheckpointMetadata { Format = 1, Kind = "network", Genotype = GenotypeFile.ToDocument(spec.Genotype!), Classes = 5 }, weights.Values);

        CheckpointFile ckpt = CheckpointFile.Load(path);
        NetworkSpec loaded = ckpt.Network();

        Assert.Equal(spec.Genotype!.Genotype, loaded.Genotype!.Genotype);
        Assert.Equal(5, loaded.Classes);
        StateDictMatch.Check(loaded.Graph, ckpt.ByName, path);
    }

    [Fact]
    public void Every_architecture_kind_round_trips()
    {
        using var dir = new TempDirectory();
        foreach (NetworkSpec spec in new[] { ModelRegistry.Resolve("squeezenas-lat-small"), ModelRegistry.FromGraph(ModelRegistry.Resolve("squeezenas-lat-small").Graph) })
        {
            string path = dir.Combine($"{spec.Architecture.Kind}.ckpt");
            CheckpointFile.Save(path, CheckpointFile.NetworkMetadata(spec), RandomWeights.For(spec.Graph).Values);
            NetworkSpec loaded = CheckpointFile.Load(path).Network();
            Assert.Equal(spec.Architecture.Kind, loaded.Architecture.Kind);
            Assert.Equal(spec.Graph.Parameters().Select(p => p.Name), loaded.Graph.Parameters().Select(p => p.Name));
        }
    }

    [Fact]
    public void Unknown_architectures_and_foreign_tensors_give_one_line_errors()
    {
        using var dir = new TempDirectory();
        string unknown = dir.Combine("unknown.ckpt");
        CheckpointFile.Save(unknown, new CheckpointMetadata { Kind = "network", Architecture = ArchitectureReference.ForModel("no-such-net"), Classes = 3 }, []);
        NasException e = Assert.Throws<NasException>(() => CheckpointFile.Load(unknown).Network());
        Assert.Contains("no-such-net", e.Message);
        Assert.Contains("unknown.ckpt", e.Message);

        NetworkSpec small = ModelRegistry.Resolve("squeezenas-mac-small");
        NetworkSpec other = ModelRegistry.Resolve("squeezenas-lat-small");
        string path = dir.Combine("mac.ckpt");
        CheckpointFile.Save(path, CheckpointFile.NetworkMetadata(small), RandomWeights.For(small.Graph).Values);
        NasException mismatch = Assert.Throws<NasException>(() => StateDictMatch.Check(other.Graph, CheckpointFile.Load(path).ByName, path));
        Assert.Contains("missing", mismatch.Message);
        Assert.Contains("mis-shaped", mismatch.Message);
        Assert.DoesNotContain('\n', mismatch.Message);
    }

    [Fact]
    public void Corrupt_files_name_the_file()
    {
        using var dir = new TempDirectory();
        string junk = dir.Combine("junk.ckpt");
        File.WriteAllBytes(junk, [1, 2, 3]);
        Assert.Contains("junk.ckpt", Assert.Throws<NasException>(() => CheckpointFile.Load(junk)).Message);
        string empty = dir.Combine("empty.ckpt");
        using (ZipArchive zip = ZipFile.Open(empty, ZipArchiveMode.Create))
        {
            zip.CreateEntry("meta.json");
        }

        Assert.Contains("empty.ckpt", Assert.Throws<NasException>(() => CheckpointFile.Load(empty)).Message);
    }
}
