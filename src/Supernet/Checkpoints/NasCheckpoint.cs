using System.IO.Compression;
using System.Reflection;
using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.IO;
using Nas.Core.SearchSpaces;
using Nas.Supernet.Networks;
using static TorchSharp.torch;

namespace Nas.Supernet.Checkpoints;

/// <summary>
/// The Nas checkpoint file (<c>.ckpt</c>): a zip archive with <c>meta.json</c> (<see cref="CheckpointMetadata"/>),
/// <c>model.bin</c> (<see cref="StateDictFile"/>) and optional further entries (optimiser state, RNG state,
/// trainer state) written by the training code. Written atomically: a crash never leaves a partial file.
/// </summary>
public sealed class NasCheckpoint : IDisposable
{
    public const string MetaEntry = "meta.json";
    public const string ModelEntry = "model.bin";

    private NasCheckpoint(string path, CheckpointMetadata metadata, Dictionary<string, Tensor> state, Dictionary<string, byte[]> extras)
    {
        Path = path;
        Metadata = metadata;
        State = state;
        Extras = extras;
    }

    public string Path { get; }

    public CheckpointMetadata Metadata { get; }

    public IReadOnlyDictionary<string, Tensor> State { get; }

    /// <summary>Other entries of the archive by name (e.g. <c>optimizer.bin</c>, <c>trainer.json</c>).</summary>
    public IReadOnlyDictionary<string, byte[]> Extras { get; }

    public static string ToolVersion { get; } =
        typeof(NasCheckpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static CheckpointMetadata MetadataFor(SegmentationNetwork network, string? source = null, int epoch = 0) => network switch
    {
        SqueezeNasNetwork n => new CheckpointMetadata
        {
            Kind = "network",
            Genotype = GenotypeFile.ToDocument(n.Genotype),
            Classes = n.Classes,
            CreatedUtc = DateTime.UtcNow.ToString("O"),
            ToolVersion = ToolVersion,
            Source = source,
            Epoch = epoch,
        },
        _ => new CheckpointMetadata
        {
            Kind = "supernet",
            Space = network.Space.Definition,
            Classes = network.Classes,
            CreatedUtc = DateTime.UtcNow.ToString("O"),
            ToolVersion = ToolVersion,
            Source = source,
            Epoch = epoch,
        },
    };

    /// <summary>Writes a checkpoint atomically.</summary>
    public static void Save(string path, nn.Module module, CheckpointMetadata metadata, IReadOnlyDictionary<string, byte[]>? extras = null) =>
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            using (Stream meta = zip.CreateEntry(MetaEntry, CompressionLevel.Fastest).Open())
            {
                byte[] json = System.Text.Encoding.UTF8.GetBytes(NasJson.Serialize(metadata));
                meta.Write(json);
            }

            using (Stream model = zip.CreateEntry(ModelEntry, CompressionLevel.NoCompression).Open())
            {
                StateDictFile.Write(model, module.state_dict().Select(kv => (kv.Key, kv.Value)));
            }

            foreach ((string name, byte[] bytes) in extras ?? new Dictionary<string, byte[]>())
            {
                using Stream e = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                e.Write(bytes);
            }
        });

    public static NasCheckpoint Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new NasException($"checkpoint not found: '{path}'");
        }

        try
        {
            using ZipArchive zip = ZipFile.OpenRead(path);
            ZipArchiveEntry metaEntry = zip.GetEntry(MetaEntry)
                ?? throw new NasException($"{path}: not a Nas checkpoint (no {MetaEntry}; for PyTorch .pth files use 'nas weights import')");
            ZipArchiveEntry modelEntry = zip.GetEntry(ModelEntry)
                ?? throw new NasException($"{path}: not a Nas checkpoint (no {ModelEntry})");
            string json;
            using (var reader = new StreamReader(metaEntry.Open()))
            {
                json = reader.ReadToEnd();
            }

            CheckpointMetadata meta = NasJson.Deserialize<CheckpointMetadata>(json, $"{path}:{MetaEntry}");
            if (meta.Format > CheckpointMetadata.CurrentFormat)
            {
                throw new NasException($"{path}: checkpoint format {meta.Format} is newer than this tool supports ({CheckpointMetadata.CurrentFormat})");
            }

            Dictionary<string, Tensor> state;
            using (var buffer = new MemoryStream())
            {
                using (Stream s = modelEntry.Open())
                {
                    s.CopyTo(buffer);
                }

                buffer.Position = 0;
                state = StateDictFile.Read(buffer, $"{path}:{ModelEntry}");
            }

            var extras = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (ZipArchiveEntry e in zip.Entries.Where(e => e.FullName is not MetaEntry and not ModelEntry))
            {
                using var buffer = new MemoryStream();
                using (Stream s = e.Open())
                {
                    s.CopyTo(buffer);
                }

                extras[e.FullName] = buffer.ToArray();
            }

            return new NasCheckpoint(path, meta, state, extras);
        }
        catch (InvalidDataException e)
        {
            throw new NasException($"{path}: not a Nas checkpoint (not a valid zip archive: {e.Message}); for PyTorch .pth files use 'nas weights import'", e);
        }
    }

    /// <summary>The genotype a network checkpoint was saved with.</summary>
    public NamedGenotype Genotype()
    {
        if (Metadata.Kind != "network" || Metadata.Genotype is null)
        {
            throw new NasException($"{Path}: is a '{Metadata.Kind}' checkpoint, not a standalone network");
        }

        return GenotypeFile.FromDocument(Metadata.Genotype, $"{Path}:{MetaEntry}") with { Classes = Metadata.Classes };
    }

    /// <summary>Builds the checkpoint's network and loads its weights (strict).</summary>
    public SqueezeNasNetwork CreateNetwork()
    {
        var network = new SqueezeNasNetwork(Genotype(), initialize: false);
        StateDictLoader.Load(network, State, Path);
        return network;
    }

    /// <summary>Builds the checkpoint's supernet and loads its weights (strict).</summary>
    public SqueezeNasSupernet CreateSupernet()
    {
        if (Metadata.Kind != "supernet" || Metadata.Space is null)
        {
            throw new NasException($"{Path}: is a '{Metadata.Kind}' checkpoint, not a supernet");
        }

        var supernet = new SqueezeNasSupernet(SearchSpace.Create(Metadata.Space, $"{Path}:{MetaEntry}"), Metadata.Classes, initialize: false);
        StateDictLoader.Load(supernet, State, Path);
        return supernet;
    }

    /// <summary>Loads the weights into an existing network, checking that the genotype matches.</summary>
    public StateDictLoadReport LoadInto(SqueezeNasNetwork network, IReadOnlyCollection<string>? skipPrefixes = null)
    {
        NamedGenotype saved = Genotype();
        if (!saved.Genotype.Equals(network.Genotype.Genotype))
        {
            throw new NasException($"{Path}: the checkpoint is for '{saved.Genotype.CanonicalString}', not '{network.Genotype.Genotype.CanonicalString}'");
        }

        return StateDictLoader.Load(network, State, Path, strict: true, skipPrefixes);
    }

    public void Dispose()
    {
        foreach (Tensor t in State.Values)
        {
            t.Dispose();
        }
    }
}
