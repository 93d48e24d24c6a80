using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using Nas.Core;

namespace Nas.Supernet.Import;

/// <summary>
/// Reads PyTorch checkpoints without PyTorch and without executing pickled code (see <see cref="SafeUnpickler"/>):
/// the legacy format (torch &lt; 1.6 or <c>_use_new_zipfile_serialization=False</c>: magic, protocol, sys-info and
/// state-dict pickles, the storage-key list, then each storage as an int64 element count and raw little-endian
/// data) and the zip format (<c>archive/data.pkl</c> plus <c>archive/data/&lt;key&gt;</c>). The state dict may be the
/// top-level object or sit under <c>state_dict</c>, <c>model_state_dict</c> or <c>model</c>.
/// </summary>
public static class PyTorchCheckpoint
{
    private static readonly BigInteger s_legacyMagic = BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The tensors of the checkpoint's state dict, in file order.</summary>
    public static IReadOnlyList<RawTensor> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new NasException($"file not found: '{path}'");
        }

        byte[] head = new byte[4];
        using (FileStream probe = File.OpenRead(path))
        {
            if (probe.Read(head, 0, 4) < 4)
            {
                throw new NasException($"{path}: not a PyTorch checkpoint (file too short)");
            }
        }

        return head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4 ? LoadZip(path) : LoadLegacy(path);
    }

    private static IReadOnlyList<RawTensor> LoadLegacy(string path)
    {
        using var stream = new MemoryStream(File.ReadAllBytes(path), writable: false);
        if (stream.ReadByte() != 0x80)
        {
            throw new NasException($"{path}: not a PyTorch checkpoint (neither a zip archive nor a legacy pickle stream)");
        }

        stream.Position = 0;
        object? magic = new SafeUnpickler(stream, path).Load();
        if (!(magic is BigInteger big && big == s_legacyMagic))
        {
            throw new NasException($"{path}: not a PyTorch checkpoint (bad magic number)");
        }

        object? protocol = new SafeUnpickler(stream, path).Load();
        if (protocol is not long p || p != 1001)
        {
            throw new NasException($"{path}: unsupported legacy protocol version {protocol}");
        }

        if (new SafeUnpickler(stream, path).Load() is PickleDict sysInfo && sysInfo.Get("little_endian") is false)
        {
            throw new NasException($"{path}: big-endian checkpoints are not supported");
        }

        object? root = new SafeUnpickler(stream, path).Load();
        object? keys = new SafeUnpickler(stream, path).Load();
        if (keys is not List<object?> keyList || keyList.Any(k => k is not string))
        {
            throw new NasException($"{path}: the storage-key list is missing or malformed");
        }

        var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        Dictionary<string, TorchDType> dtypes = CollectStorages(root).GroupBy(s => s.RootKey ?? s.Key).ToDictionary(g => g.Key, g => g.First().DType);
        foreach (string key in keyList.Cast<string>())
        {
            byte[] countBytes = new byte[8];
            if (stream.Read(countBytes, 0, 8) < 8)
            {
                throw new NasException($"{path}: truncated before storage '{key}'");
            }

            long count = BinaryPrimitives.ReadInt64LittleEndian(countBytes);
            int size = ElementSize(dtypes.TryGetValue(key, out TorchDType dt) ? dt : TorchDType.UInt8);
            long bytes = count * size;
            if (count < 0 || bytes > stream.Length - stream.Position)
            {
                throw new NasException($"{path}: truncated in storage '{key}' (needs {bytes} bytes, {stream.Length - stream.Position} left)");
            }

            byte[] data = new byte[bytes];
            stream.ReadExactly(data);
            storages[key] = data;
        }

        return Assemble(root, storages, path);
    }

    private static IReadOnlyList<RawTensor> LoadZip(string path)
    {
        try
        {
            using ZipArchive zip = ZipFile.OpenRead(path);
            ZipArchiveEntry pkl = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) || e.FullName == "data.pkl")
                ?? throw new NasException($"{path}: zip archive without data.pkl: not a PyTorch checkpoint");
            string prefix = pkl.FullName[..^"data.pkl".Length];
            ZipArchiveEntry? byteOrder = zip.GetEntry(prefix + "byteorder");
            if (byteOrder is not null)
            {
                using var reader = new StreamReader(byteOrder.Open());
                if (reader.ReadToEnd().Trim() != "little")
                {
                    throw new NasException($"{path}: big-endian checkpoints are not supported");
                }
            }

            object? root;
            using (var buffer = new MemoryStream())
            {
                using (Stream s = pkl.Open())
                {
                    s.CopyTo(buffer);
                }

                buffer.Position = 0;
                root = new SafeUnpickler(buffer, $"{path}:{pkl.FullName}").Load();
            }

            var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (string key in CollectStorages(root).Select(s => s.RootKey ?? s.Key).Distinct())
            {
                ZipArchiveEntry entry = zip.GetEntry($"{prefix}data/{key}")
                    ?? throw new NasException($"{path}: storage '{key}' is missing from the archive");
                using var buffer = new MemoryStream();
                using (Stream s = entry.Open())
                {
                    s.CopyTo(buffer);
                }

                storages[key] = buffer.ToArray();
            }

            return Assemble(root, storages, path);
        }
        catch (InvalidDataException e)
        {
            throw new NasException($"{path}: corrupt zip archive ({e.Message})", e);
        }
    }

    private static IEnumerable<StorageRef> CollectStorages(object? node)
    {
        switch (node)
        {
            case TensorRef t:
                yield return t.Storage;
                break;
            case PickleDict d:
                foreach (KeyValuePair<object, object?> kv in d.Items)
                {
                    foreach (StorageRef s in CollectStorages(kv.Value))
                    {
                        yield return s;
                    }
                }

                break;
        }
    }

    private static IReadOnlyList<RawTensor> Assemble(object? root, Dictionary<string, byte[]> storages, string path)
    {
        PickleDict dict = root as PickleDict ?? throw new NasException($"{path}: the checkpoint does not hold a state dict (a dict of tensors)");
        foreach (string nested in new[] { "state_dict", "model_state_dict", "model" })
        {
            if (dict.Get(nested) is PickleDict inner)
            {
                dict = inner;
                break;
            }
        }

        var result = new List<RawTensor>();
        foreach (KeyValuePair<object, object?> kv in dict.Items)
        {
            if (kv.Key is not string name || kv.Value is not TensorRef t)
            {
                continue;
            }

            string key = t.Storage.RootKey ?? t.Storage.Key;
            if (!storages.TryGetValue(key, out byte[]? data))
            {
                throw new NasException($"{path}: tensor '{name}' refers to missing storage '{key}'");
            }

            result.Add(Materialise(name, t, data, path));
        }

        if (result.Count == 0)
        {
            throw new NasException($"{path}: the state dict holds no tensors");
        }

        return result;
    }

    private static RawTensor Materialise(string name, TensorRef t, byte[] storage, string path)
    {
        TorchDType dtype = t.Storage.DType;
        int size = ElementSize(dtype);
        long storageElements = storage.Length / size;
        // Legacy storage views slice their root storage by an element offset.
        long baseOffset = t.Storage.RootOffset + t.Offset;

        long numel = t.Shape.Aggregate(1L, (a, b) => a * b);
        if (t.Shape.Length != t.Stride.Length || t.Shape.Any(d => d < 0))
        {
            throw new NasException($"{path}: tensor '{name}' has an inconsistent shape/stride");
        }

        long maxIndex = baseOffset + t.Shape.Select((d, i) => d == 0 ? 0 : (d - 1) * t.Stride[i]).Sum();
        if (numel > 0 && (baseOffset < 0 || maxIndex >= storageElements))
        {
            throw new NasException($"{path}: tensor '{name}' reaches past the end of its storage (the file is truncated or corrupt)");
        }

        bool floating = dtype is TorchDType.Float32 or TorchDType.Float16 or TorchDType.BFloat16 or TorchDType.Float64;
        float[]? floats = floating ? new float[numel] : null;
        long[]? ints = floating ? null : new long[numel];
        var index = new long[t.Shape.Length];
        for (long i = 0; i < numel; i++)
        {
            long element = baseOffset;
            for (int d = 0; d < index.Length; d++)
            {
                element += index[d] * t.Stride[d];
            }

            ReadOnlySpan<byte> bytes = storage.AsSpan((int)(element * size), size);
            if (floats is not null)
            {
                floats[i] = dtype switch
                {
                    TorchDType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(bytes),
                    TorchDType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes),
                    TorchDType.BFloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16),
                    _ => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes),
                };
            }
            else
            {
                ints![i] = dtype switch
                {
                    TorchDType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes),
                    TorchDType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
                    TorchDType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes),
                    TorchDType.Int8 => (sbyte)bytes[0],
                    _ => bytes[0],
                };
            }

            for (int d = index.Length - 1; d >= 0; d--)
            {
                if (++index[d] < t.Shape[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }

        return new RawTensor(name, dtype, t.Shape, floats, ints);
    }

    internal static int ElementSize(TorchDType dtype) => dtype switch
    {
        TorchDType.Float64 or TorchDType.Int64 => 8,
        TorchDType.Float32 or TorchDType.Int32 => 4,
        TorchDType.Float16 or TorchDType.BFloat16 or TorchDType.Int16 => 2,
        _ => 1,
    };
}
