using System.Buffers.Binary;
using System.Numerics;
using Nas.Core;

namespace Nas.Weights.Import;

/// <summary>
/// The legacy <c>torch.save</c> format (torch &lt; 1.6, or <c>_use_new_zipfile_serialization=False</c>): five pickles
/// — the magic number 0x1950a86a20f9469cfc6c, the format version 1001, a sys-info dict (byte order, C type sizes),
/// the saved object (storages as persistent ids) and the list of storage keys — followed, for each key in that list,
/// by an int64 element count and the storage's raw bytes.
/// </summary>
internal sealed class LegacyCheckpoint : CheckpointContainer
{
    private const long FormatVersion = 1001;

    private static readonly BigInteger s_magic = BigInteger.Parse("1950a86a20f9469cfc6c", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private readonly Stream _stream;
    private readonly StorageTable _table;
    private readonly List<string> _keys;
    private readonly long _dataStart;

    private LegacyCheckpoint(string path, object? root, Stream stream, StorageTable table, List<string> keys)
        : base(path, root)
    {
        _stream = stream;
        _table = table;
        _keys = keys;
        _dataStart = stream.Position;
    }

    public static LegacyCheckpoint Open(Stream stream, string path)
    {
        RejectForeignFormats(stream, path);
        object? magic;
        try
        {
            magic = new SafeUnpickler(stream, path, storages: null).Load();
        }
        catch (NasException e)
        {
            throw new NasException($"{path}: not a PyTorch checkpoint (no PyTorch magic number: {e.Message})", e);
        }

        if (!(magic is BigInteger number && number == s_magic))
        {
            throw new NasException($"{path}: not a PyTorch checkpoint (a pickle, but without PyTorch's magic number)");
        }

        object? version = new SafeUnpickler(stream, path, storages: null).Load();
        if (version is not FormatVersion)
        {
            throw new NasException($"{path}: unsupported legacy PyTorch format version {version ?? "None"} (expected {FormatVersion})");
        }

        if (new SafeUnpickler(stream, path, storages: null).Load() is not PickleDict sysInfo)
        {
            throw new NasException($"{path}: the sys-info record of the legacy format is not a dict");
        }

        if (sysInfo.TryGetValue("little_endian", out object? little) && little is false)
        {
            throw new NasException($"{path}: the checkpoint was saved on a big-endian machine; big-endian storages are not supported");
        }

        var table = new StorageTable();
        object? root = new SafeUnpickler(stream, path, table).Load();
        long keysOffset = stream.Position;
        object? keyList = new SafeUnpickler(stream, path, storages: null).Load();
        var keys = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (object? item in keyList as List<object?> ?? throw new NasException($"{path}: the storage-key list (at byte {keysOffset}) is not a list"))
        {
            string key = item as string ?? throw new NasException($"{path}: the storage-key list (at byte {keysOffset}) holds a non-string key");
            if (!seen.Add(key))
            {
                throw new NasException($"{path}: storage '{key}' is listed twice");
            }

            if (!table.TryGet(key, out _))
            {
                throw new NasException($"{path}: storage '{key}' is listed but no tensor refers to it");
            }

            keys.Add(key);
        }

        return new LegacyCheckpoint(path, root, stream, table, keys);
    }

    public override IReadOnlyDictionary<string, byte[]> ReadStorages(IReadOnlyCollection<PickleStorage> storages)
    {
        var wanted = storages.ToDictionary(s => s.Key, StringComparer.Ordinal);
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        _stream.Position = _dataStart;
        byte[] countBytes = new byte[8];
        foreach (string key in _keys)
        {
            long at = _stream.Position;
            if (_stream.Length - at < 8)
            {
                throw new NasException($"{Path}: the file ends before storage '{key}' (at byte {at}; the file is truncated)");
            }

            _stream.ReadExactly(countBytes);
            long count = BinaryPrimitives.ReadInt64LittleEndian(countBytes);
            _table.TryGet(key, out PickleStorage storage);
            if (count != storage.Numel)
            {
                throw new NasException($"{Path}: storage '{key}' (at byte {at}) holds {count} elements but is declared with {storage.Numel}; the file is corrupt");
            }

            long bytes = ByteLength(storage, Path);
            if (bytes > _stream.Length - _stream.Position)
            {
                throw new NasException($"{Path}: storage '{key}' (at byte {at}) needs {bytes} bytes but only {_stream.Length - _stream.Position} are left; the file is truncated");
            }

            if (wanted.ContainsKey(key))
            {
                byte[] data = new byte[bytes];
                _stream.ReadExactly(data);
                result[key] = data;
            }
            else
            {
                _stream.Seek(bytes, SeekOrigin.Current);
            }
        }

        foreach (string key in wanted.Keys.Where(k => !result.ContainsKey(k)))
        {
            throw new NasException($"{Path}: storage '{key}' is missing from the file's storage list");
        }

        return result;
    }

    /// <summary>PyTorch's oldest format was a tar archive; a POSIX tar header has "ustar" at byte 257.</summary>
    private static void RejectForeignFormats(Stream stream, string path)
    {
        byte[] head = new byte[262];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read == head.Length && head.AsSpan(257, 5).SequenceEqual("ustar"u8))
        {
            throw new NasException($"{path}: a tar-based checkpoint of PyTorch < 0.4 is not supported; load and re-save it with a newer PyTorch");
        }

        if (read == 0 || head[0] != 0x80)
        {
            throw new NasException($"{path}: not a PyTorch checkpoint (neither a zip archive nor a legacy torch.save pickle stream)");
        }
    }
}
