using System.IO.Compression;
using System.Reflection;
using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.IO;
using Nas.Core.SearchSpaces;
using Nas.Core.Tensors;
using Nas.Models;
using Nas.Models.Registry;

namespace Nas.Weights.Checkpoints;

/// <summary>
/// The Nas checkpoint file (<c>.ckpt</c>), read and written without any tensor library: a zip archive with
/// <c>meta.json</c> (<see cref="CheckpointMetadata"/>), <c>model.bin</c> (<see cref="StateDictFile"/>) and optional
/// further entries (optimiser, RNG and trainer state). Written atomically: a crash never leaves a partial file.
/// </summary>
public sealed class CheckpointFile
{
    public const string MetaEntry = "meta.json";
    public const string ModelEntry = "model.bin";

    private CheckpointFile(string path, CheckpointMetadata metadata, IReadOnlyList<TensorData> tensors, IReadOnlyDictionary<string, byte[]> extras)
    {
        Path = path;
        Metadata = metadata;
        Tensors = tensors;
        ByName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Extras = extras;
    }

    public string Path { get; }

    public CheckpointMetadata Metadata { get; }

    /// <summary>The model's tensors in file order.</summary>
    public IReadOnlyList<TensorData> Tensors { get; }

    public IReadOnlyDictionary<string, TensorData> ByName { get; }

    /// <summary>Other entries of the archive by name (e.g. <c>optimizer.bin</c>, <c>trainer.json</c>).</summary>
    public IReadOnlyDictionary<string, byte[]> Extras { get; }

    public static string ToolVersion { get; } =
        typeof(CheckpointFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public bool IsSupernet => Metadata.Kind == "supernet";

    /// <summary>Metadata for a standalone network's weights.</summary>
    public static CheckpointMetadata NetworkMetadata(NetworkSpec network, string? source = null, int epoch = 0) => new()
    {
        Kind = "network",
        Architecture = network.Architecture,
        Genotype = network.Genotype is NamedGenotype g ? GenotypeFile.ToDocument(g) : null,
        Classes = network.Classes,
        CreatedUtc = DateTime.UtcNow.ToString("O"),
        ToolVersion = ToolVersion,
        Source = source,
        Epoch = epoch,
    };

    /// <summary>Metadata for a supernet's weights.</summary>
    public static CheckpointMetadata SupernetMetadata(SearchSpace space, int classes, string? source = null, int epoch = 0) => new()
    {
        Kind = "supernet",
        Space = space.Definition,
        Classes = classes,
        CreatedUtc = DateTime.UtcNow.ToString("O"),
        ToolVersion = ToolVersion,
        Source = source,
        Epoch = epoch,
    };

    public static void Save(string path, CheckpointMetadata metadata, IEnumerable<TensorData> tensors, IReadOnlyDictionary<string, byte[]>? extras = null) =>
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            using (Stream meta = zip.CreateEntry(MetaEntry, CompressionLevel.Fastest).Open())
            {
                meta.Write(System.Text.Encoding.UTF8.GetBytes(NasJson.Serialize(metadata)));
            }

            using (Stream model = zip.CreateEntry(ModelEntry, CompressionLevel.NoCompression).Open())
            {
                StateDictFile.Write(model, tensors);
            }

            foreach ((string name, byte[] bytes) in extras ?? new Dictionary<string, byte[]>())
            {
                using Stream e = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                e.Write(bytes);
            }
        });

    public static CheckpointFile Load(string path)
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

            List<TensorData> tensors;
            using (var buffer = new MemoryStream())
            {
                using (Stream s = modelEntry.Open())
                {
                    s.CopyTo(buffer);
                }

                buffer.Position = 0;
                tensors = StateDictFile.Read(buffer, $"{path}:{ModelEntry}");
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

            return new CheckpointFile(path, meta, tensors, extras);
        }
        catch (InvalidDataException e)
        {
            throw new NasException($"{path}: not a Nas checkpoint (not a valid zip archive: {e.Message}); for PyTorch .pth files use 'nas weights import'", e);
        }
    }

    /// <summary>The network a <c>network</c> checkpoint holds (format 2 architecture reference, or a format 1 genotype).</summary>
    public NetworkSpec Network()
    {
        if (IsSupernet)
        {
            throw new NasException($"{Path}: is a supernet checkpoint, not a standalone network (derive a genotype with 'nas search' or 'nas search evolve')");
        }

        string source = $"{Path}:{MetaEntry}";
        if (Metadata.Architecture is ArchitectureReference reference)
        {
            return ModelRegistry.Resolve(reference, Metadata.Classes, source);
        }

        if (Metadata.Genotype is GenotypeDocument doc)
        {
            return ModelRegistry.Resolve(new ArchitectureReference { Kind = ArchitectureReference.GenotypeKind, Genotype = doc }, Metadata.Classes, source);
        }

        throw new NasException($"{source}: names no architecture (neither 'architecture' nor 'genotype')");
    }

    /// <summary>The search space of a <c>supernet</c> checkpoint.</summary>
    public SearchSpace Space()
    {
        if (!IsSupernet || Metadata.Space is null)
        {
            throw new NasException($"{Path}: is a '{Metadata.Kind}' checkpoint, not a supernet");
        }

        return SearchSpace.Create(Metadata.Space, $"{Path}:{MetaEntry}");
    }
}
