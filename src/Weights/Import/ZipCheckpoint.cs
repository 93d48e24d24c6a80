using System.IO.Compression;
using System.Text;
using Nas.Core;

namespace Nas.Weights.Import;

/// <summary>
/// The zip format of <c>torch.save</c> (torch ≥ 1.6): every record lies in one top folder (<c>archive/</c>, or the
/// file's stem for torch &lt; 2.1): <c>data.pkl</c> (the saved object, storages as persistent ids
/// <c>('storage', type, key, location, numel)</c>), <c>data/&lt;key&gt;</c> (each storage's raw bytes),
/// <c>byteorder</c>, <c>version</c> and, in newer files, <c>.format_version</c>, <c>.storage_alignment</c> and
/// <c>.data/serialization_id</c>. Records are stored uncompressed; compressed ones are read too.
/// </summary>
internal sealed class ZipCheckpoint : CheckpointContainer
{
    private const int MaxDeflateRatio = 1100;

    private readonly ZipArchive _zip;
    private readonly string _prefix;
    private readonly long _fileLength;

    private ZipCheckpoint(string path, object? root, ZipArchive zip, string prefix, long fileLength)
        : base(path, root)
    {
        _zip = zip;
        _prefix = prefix;
        _fileLength = fileLength;
    }

    public static ZipCheckpoint Open(Stream stream, string path)
    {
        ZipArchive zip = Guard(path, () => new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true));
        try
        {
            return Open(zip, stream.Length, path);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    public override IReadOnlyDictionary<string, byte[]> ReadStorages(IReadOnlyCollection<PickleStorage> storages)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (PickleStorage storage in storages)
        {
            string name = $"{_prefix}data/{storage.Key}";
            ZipArchiveEntry entry = Guard(Path, () => _zip.GetEntry(name))
                ?? throw new NasException($"{Path}: storage record '{name}' is missing from the archive");
            long expected = ByteLength(storage, Path);
            if (entry.Length != expected)
            {
                throw new NasException($"{Path}: storage record '{name}' has {entry.Length} bytes, expected {expected} ({storage.Numel} x {storage.DType.TorchName()})");
            }

            result[storage.Key] = ReadEntry(Path, _fileLength, entry, expected);
        }

        return result;
    }

    public override void Dispose() => _zip.Dispose();

    private static ZipCheckpoint Open(ZipArchive zip, long fileLength, string path)
    {
        IReadOnlyList<ZipArchiveEntry> entries = Guard(path, () => zip.Entries);
        if (entries.Count == 0)
        {
            throw new NasException($"{path}: an empty zip archive, not a PyTorch checkpoint");
        }

        // Like PyTorch's reader: the archive's folder is the first record's top folder.
        string first = entries[0].FullName;
        int slash = first.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw new NasException($"{path}: a zip archive whose first record '{first}' is not in a folder: not a PyTorch checkpoint");
        }

        string prefix = first[..(slash + 1)];
        ZipArchiveEntry? pickle = Guard(path, () => zip.GetEntry(prefix + "data.pkl"));
        if (pickle is null)
        {
            bool torchScript = Guard(path, () => zip.GetEntry(prefix + "constants.pkl")) is not null;
            throw new NasException(torchScript
                ? $"{path}: a TorchScript archive (torch.jit.save), not a torch.save checkpoint; save the model's state_dict() with torch.save"
                : $"{path}: a zip archive without '{prefix}data.pkl': not a PyTorch checkpoint");
        }

        ZipArchiveEntry? byteOrder = Guard(path, () => zip.GetEntry(prefix + "byteorder"));
        if (byteOrder is not null)
        {
            string order = Encoding.ASCII.GetString(ReadEntry(path, fileLength, byteOrder, Math.Min(byteOrder.Length, 16))).Trim();
            if (order == "big")
            {
                throw new NasException($"{path}: the checkpoint was saved on a big-endian machine ('{prefix}byteorder' is 'big'); big-endian storages are not supported");
            }

            if (order != "little")
            {
                throw new NasException($"{path}: unknown byte order '{order}' in '{prefix}byteorder'");
            }
        }

        if (pickle.Length > Array.MaxLength)
        {
            throw new NasException($"{path}: '{pickle.FullName}' is too large ({pickle.Length} bytes)");
        }

        using var buffer = new MemoryStream(ReadEntry(path, fileLength, pickle, pickle.Length), writable: false);
        var table = new StorageTable();
        object? root = new SafeUnpickler(buffer, $"{path} ({pickle.FullName})", table).Load();
        return new ZipCheckpoint(path, root, zip, prefix, fileLength);
    }

    private static byte[] ReadEntry(string path, long fileLength, ZipArchiveEntry entry, long length)
    {
        // A record cannot hold more than its compressed bytes allow: refuse zip bombs before allocating.
        if (entry.CompressedLength > fileLength || entry.Length > (entry.CompressedLength + 64) * MaxDeflateRatio)
        {
            throw new NasException($"{path}: record '{entry.FullName}' declares implausible sizes ({entry.CompressedLength} bytes compressed, {entry.Length} uncompressed); the archive is corrupt");
        }

        return Guard(path, () =>
        {
            byte[] data = new byte[length];
            using Stream s = entry.Open();
            int read = s.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            return read == data.Length ? data : throw new NasException($"{path}: record '{entry.FullName}' is shorter than declared; the archive is truncated or corrupt");
        });
    }

    /// <summary>Turns the zip library's exceptions for broken archives into one-line errors naming the file.</summary>
    private static T Guard<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw new NasException($"{path}: corrupt or truncated zip archive ({e.Message})", e);
        }
    }
}
