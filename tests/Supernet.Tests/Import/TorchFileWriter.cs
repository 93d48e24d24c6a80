using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Nas.Supernet.Tests.Import;

/// <summary>
/// Writes PyTorch checkpoint files the way torch.save does (legacy and zip formats) for the reader's tests:
/// an OrderedDict of tensors that are strided views of float32/float16/int64 storages.
/// </summary>
internal static class TorchFileWriter
{
    public sealed record Storage(string Key, string Type, byte[] Data, int ElementSize)
    {
        public long Numel => Data.Length / ElementSize;
    }

    public sealed record TensorView(string Name, Storage Storage, long Offset, long[] Shape, long[] Stride);

    public static byte[] Legacy(IReadOnlyList<TensorView> tensors, Func<byte[], byte[]>? tamperMain = null)
    {
        using var ms = new MemoryStream();
        ms.Write(Pickle(w => w.Long1(System.Numerics.BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture))));
        ms.Write(Pickle(w => w.Int(1001)));
        ms.Write(Pickle(w =>
        {
            w.Op('}').Op('(');
            w.Str("protocol_version").Int(1001).Str("little_endian").Op(0x88).Str("type_sizes");
            w.Op('}').Op('(').Str("short").Int(2).Str("int").Int(4).Str("long").Int(4).Op('u');
            w.Op('u');
        }));
        byte[] main = Pickle(w => StateDict(w, tensors, legacy: true));
        ms.Write(tamperMain is null ? main : tamperMain(main));
        Storage[] storages = tensors.Select(t => t.Storage).Distinct().ToArray();
        ms.Write(Pickle(w =>
        {
            w.Op(']').Op('(');
            foreach (Storage s in storages)
            {
                w.Str(s.Key);
            }

            w.Op('e');
        }));
        foreach (Storage s in storages)
        {
            byte[] count = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(count, s.Numel);
            ms.Write(count);
            ms.Write(s.Data);
        }

        return ms.ToArray();
    }

    public static byte[] Zip(IReadOnlyList<TensorView> tensors)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, "archive/data.pkl", Pickle(w => StateDict(w, tensors, legacy: false)));
            Write(zip, "archive/byteorder", Encoding.ASCII.GetBytes("little"));
            Write(zip, "archive/version", Encoding.ASCII.GetBytes("3\n"));
            foreach (Storage s in tensors.Select(t => t.Storage).Distinct())
            {
                Write(zip, $"archive/data/{s.Key}", s.Data);
            }
        }

        return ms.ToArray();
    }

    public static byte[] Pickle(Action<PickleWriter> body)
    {
        var w = new PickleWriter();
        w.Op(0x80).Byte(2);
        body(w);
        w.Op('.');
        return w.ToArray();
    }

    private static void StateDict(PickleWriter w, IReadOnlyList<TensorView> tensors, bool legacy)
    {
        w.Global("collections", "OrderedDict").Op(')').Op('R').Op('(');
        foreach (TensorView t in tensors)
        {
            w.Str(t.Name).Global("torch._utils", "_rebuild_tensor_v2").Op('(');
            w.Op('(').Str("storage").Global("torch", t.Storage.Type).Str(t.Storage.Key).Str("cpu").Int(t.Storage.Numel);
            if (legacy)
            {
                w.Op('N');
            }

            w.Op('t').Op('Q');
            w.Int(t.Offset).Tuple(t.Shape).Tuple(t.Stride).Op(0x89).Global("collections", "OrderedDict").Op(')').Op('R');
            w.Op('t').Op('R');
        }

        w.Op('u');
    }

    private static void Write(ZipArchive zip, string name, byte[] data)
    {
        using Stream s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        s.Write(data);
    }

    public sealed class PickleWriter
    {
        private readonly MemoryStream _ms = new();

        public PickleWriter Op(int op) => Byte((byte)op);

        public PickleWriter Byte(byte b)
        {
            _ms.WriteByte(b);
            return this;
        }

        public PickleWriter Str(string s)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(s);
            Op('X');
            byte[] len = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)bytes.Length);
            _ms.Write(len);
            _ms.Write(bytes);
            return this;
        }

        public PickleWriter Int(long v)
        {
            Op('J');
            byte[] b = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, checked((int)v));
            _ms.Write(b);
            return this;
        }

        public PickleWriter Long1(System.Numerics.BigInteger v)
        {
            byte[] bytes = v.ToByteArray();
            Op(0x8a).Byte((byte)bytes.Length);
            _ms.Write(bytes);
            return this;
        }

        public PickleWriter Global(string module, string name)
        {
            Op('c');
            _ms.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
            return this;
        }

        public PickleWriter Tuple(long[] values)
        {
            Op('(');
            foreach (long v in values)
            {
                Int(v);
            }

            return Op('t');
        }

        public byte[] ToArray() => _ms.ToArray();
    }
}
