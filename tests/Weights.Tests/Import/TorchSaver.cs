using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Nas.Weights.Tests.Import;

/// <summary>
/// Writes checkpoints the way <c>torch.save</c> does, following torch/serialization.py and torch/_tensor.py: a tensor
/// pickles as <c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())</c>,
/// its storage as the persistent id <c>('storage', torch.FloatStorage, key, location, numel[, None])</c>.
/// <see cref="Legacy"/> writes the pre-1.6 stream (magic, 1001, sys_info, object, sorted storage keys, then each
/// storage as int64 count + bytes), <see cref="Zip"/> the 1.6+ archive (see <see cref="TorchZipWriter"/>).
/// </summary>
internal static class TorchSaver
{
    public static readonly PythonPickler.Global RebuildTensorV2 = new("torch._utils", "_rebuild_tensor_v2");

    /// <summary>A typed storage: <paramref name="TypeName"/> is the class (<c>FloatStorage</c>), <paramref name="Key"/> its legacy id.</summary>
    public sealed class Storage(string typeName, int elementSize, byte[] data, string key, string location = "cpu")
    {
        public string TypeName { get; } = typeName;

        public int ElementSize { get; } = elementSize;

        public byte[] Data { get; } = data;

        public string Key { get; } = key;

        public string Location { get; } = location;

        /// <summary>The class's module: <c>torch</c> for typed storages, <c>torch.storage</c> for UntypedStorage.</summary>
        public string Module { get; init; } = "torch";

        /// <summary>torch &lt; 0.4 only: this storage is a view (key, offset, numel) of the root storage.</summary>
        public (string Key, long Offset, long Numel)? View { get; init; }

        /// <summary>The element count written to the file; <see cref="DeclaredNumel"/> overrides it to build corrupt files.</summary>
        public long Numel => DeclaredNumel ?? Data.Length / ElementSize;

        public long? DeclaredNumel { get; init; }

        public static Storage Floats(string key, params float[] values)
        {
            byte[] data = new byte[values.Length * 4];
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), values[i]);
            }

            return new Storage("FloatStorage", 4, data, key);
        }

        public static Storage Halves(string key, params float[] values)
        {
            byte[] data = new byte[values.Length * 2];
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(i * 2), (Half)values[i]);
            }

            return new Storage("HalfStorage", 2, data, key);
        }

        public static Storage Longs(string key, params long[] values)
        {
            byte[] data = new byte[values.Length * 8];
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(i * 8), values[i]);
            }

            return new Storage("LongStorage", 8, data, key);
        }
    }

    /// <summary>The pickled form of a tensor that views <paramref name="storage"/>.</summary>
    public static PythonPickler.Reduce Tensor(Storage storage, long offset, long[] size, long[] stride, bool requiresGrad = false) =>
        new(RebuildTensorV2, [storage, offset, Tuple(size), Tuple(stride), requiresGrad, PythonPickler.OrderedDict([])]);

    public static object?[] Tuple(long[] values) => values.Select(v => (object?)v).ToArray();

    /// <summary>A module's <c>state_dict()</c>: an OrderedDict with the <c>_metadata</c> attribute torch attaches.</summary>
    public static PythonPickler.Reduce StateDict(IEnumerable<(string Name, object Tensor)> entries, params string[] modulePrefixes)
    {
        var metadata = new List<KeyValuePair<object?, object?>>();
        foreach (string prefix in modulePrefixes)
        {
            metadata.Add(new(prefix, new PythonPickler.Dict { { "version", 1L } }));
        }

        var attributes = new PythonPickler.Dict { { "_metadata", PythonPickler.OrderedDict(metadata) } };
        return PythonPickler.OrderedDict(entries.Select(e => new KeyValuePair<object?, object?>(e.Name, e.Tensor)).ToList(), attributes);
    }

    /// <summary>The legacy stream; <paramref name="longSize"/> is sizeof(long) of the saving machine (4 on Windows).</summary>
    public static byte[] Legacy(object root, int longSize = 8, bool littleEndian = true)
    {
        using var ms = new MemoryStream();
        ms.Write(PythonPickler.Dumps(BigInteger.Parse("1950a86a20f9469cfc6c", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture)));
        ms.Write(PythonPickler.Dumps(1001L));
        ms.Write(PythonPickler.Dumps(new PythonPickler.Dict
        {
            { "protocol_version", 1001L },
            { "little_endian", littleEndian },
            { "type_sizes", new PythonPickler.Dict { { "short", 2L }, { "int", 4L }, { "long", (long)longSize } } },
        }));

        var storages = new Dictionary<string, Storage>(StringComparer.Ordinal);
        ms.Write(PythonPickler.Dumps(root, obj =>
        {
            if (obj is not Storage s)
            {
                return null;
            }

            storages.TryAdd(s.Key, s);

            // str(storage._cdata) is a new string object on every call, so it is never memoized.
            object? view = s.View is { } v ? new object?[] { v.Key, v.Offset, v.Numel } : null;
            return ["storage", new PythonPickler.Global(s.Module, s.TypeName), new string(s.Key.AsSpan()), Location(s), s.Numel, view];
        }));

        List<string> keys = storages.Keys.Order(StringComparer.Ordinal).ToList();
        ms.Write(PythonPickler.Dumps(keys.Select(k => (object?)new string(k.AsSpan())).ToList()));
        foreach (string key in keys)
        {
            byte[] count = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(count, storages[key].Numel);
            ms.Write(count);
            ms.Write(storages[key].Data);
        }

        return ms.ToArray();
    }

    /// <summary>
    /// The zip archive: storages keyed "0", "1", ... in order of first use; records data.pkl, .format_version,
    /// .storage_alignment, byteorder, data/&lt;key&gt; in sorted key order, version, .data/serialization_id
    /// (<paramref name="modern"/> false: torch 1.6–2.0, without the three dotted records).
    /// </summary>
    public static byte[] Zip(object root, string archiveName = "archive", bool modern = true, string byteOrder = "little")
    {
        var keys = new Dictionary<Storage, string>(ReferenceEqualityComparer.Instance);
        byte[] pickle = PythonPickler.Dumps(root, obj =>
        {
            if (obj is not Storage s)
            {
                return null;
            }

            if (!keys.TryGetValue(s, out string? key))
            {
                key = keys.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                keys[s] = key;
            }

            // id_map.setdefault(...) hands out the same key string object each time: it is memoized.
            return ["storage", new PythonPickler.Global(s.Module, s.TypeName), key, Location(s), s.Numel];
        });

        var writer = new TorchZipWriter(archiveName);
        writer.Add("data.pkl", pickle);
        if (modern)
        {
            writer.Add(".format_version", "1"u8.ToArray());
            writer.Add(".storage_alignment", "64"u8.ToArray());
        }

        writer.Add("byteorder", Encoding.ASCII.GetBytes(byteOrder));
        foreach ((Storage storage, string key) in keys.OrderBy(kv => kv.Value, StringComparer.Ordinal))
        {
            writer.Add($"data/{key}", storage.Data);
        }

        writer.Add("version", "3\n"u8.ToArray());
        if (modern)
        {
            writer.Add(".data/serialization_id", Encoding.ASCII.GetBytes("1234567890123456789000000000001234567890"));
        }

        return writer.Finish();
    }

    /// <summary>location_tag: the literal 'cpu' (one object, memoized) or a new 'cuda:N' string per call.</summary>
    private static string Location(Storage storage) => storage.Location == "cpu" ? "cpu" : new string(storage.Location.AsSpan());
}
