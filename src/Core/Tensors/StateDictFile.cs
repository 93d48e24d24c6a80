using System.Text;

namespace Nas.Core.Tensors;

/// <summary>
/// The flat binary state-dict format of Nas checkpoints (<c>model.bin</c>, optimiser state): magic <c>NASSD001</c>,
/// tensor count, then per tensor: name (length-prefixed UTF-8), dtype code (<see cref="TensorDType"/>), rank, dims
/// (int64), byte length, raw little-endian bytes. Read and written without any tensor library.
/// </summary>
public static class StateDictFile
{
    private static readonly byte[] s_magic = "NASSD001"u8.ToArray();

    public static void Write(Stream stream, IEnumerable<TensorData> tensors)
    {
        var list = tensors.ToList();
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(s_magic);
        writer.Write(list.Count);
        foreach (TensorData t in list)
        {
            writer.Write(t.Name);
            writer.Write((int)t.DType);
            writer.Write(t.Shape.Count);
            foreach (long d in t.Shape)
            {
                writer.Write(d);
            }

            writer.Write((long)t.Bytes.Length);
            writer.Write(t.Bytes);
        }
    }

    /// <summary>Reads every tensor in file order; <paramref name="source"/> names the file in errors.</summary>
    public static List<TensorData> Read(Stream stream, string source)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            byte[] magic = reader.ReadBytes(s_magic.Length);
            if (!magic.AsSpan().SequenceEqual(s_magic))
            {
                throw new NasException($"{source}: not a Nas state dict (bad magic)");
            }

            int count = reader.ReadInt32();
            if (count < 0)
            {
                throw new NasException($"{source}: corrupt state dict (negative tensor count)");
            }

            var result = new List<TensorData>(Math.Min(count, 1 << 16));
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                int code = reader.ReadInt32();
                if (!Enum.IsDefined(typeof(TensorDType), code))
                {
                    throw new NasException($"{source}: tensor '{name}' has an unsupported dtype code {code}");
                }

                int rank = reader.ReadInt32();
                if (rank is < 0 or > 8)
                {
                    throw new NasException($"{source}: corrupt state dict at tensor '{name}' (rank {rank})");
                }

                long[] shape = new long[rank];
                for (int d = 0; d < rank; d++)
                {
                    shape[d] = reader.ReadInt64();
                }

                long length = reader.ReadInt64();
                byte[] bytes = reader.ReadBytes(checked((int)length));
                if (bytes.Length != length)
                {
                    throw new NasException($"{source}: truncated at tensor '{name}'");
                }

                try
                {
                    result.Add(new TensorData(name, (TensorDType)code, shape, bytes));
                }
                catch (Exception e) when (e is ArgumentException or OverflowException)
                {
                    throw new NasException($"{source}: corrupt state dict at tensor '{name}' ({e.Message})", e);
                }
            }

            return result;
        }
        catch (EndOfStreamException e)
        {
            throw new NasException($"{source}: truncated state dict", e);
        }
        catch (OverflowException e)
        {
            throw new NasException($"{source}: corrupt state dict ({e.Message})", e);
        }
    }
}
