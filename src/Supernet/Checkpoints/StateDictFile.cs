using System.Text;
using Nas.Core;
using static TorchSharp.torch;

namespace Nas.Supernet.Checkpoints;

/// <summary>
/// A flat binary form of a state dict (name → tensor), independent of TorchSharp's own save format so that
/// loading can report every missing, unexpected and mis-shaped key: magic <c>NASSD001</c>, tensor count, then per
/// tensor: name (length-prefixed UTF-8), dtype code, rank, dims (int64), byte length, raw little-endian bytes.
/// </summary>
public static class StateDictFile
{
    private static readonly byte[] s_magic = "NASSD001"u8.ToArray();

    public static void Write(Stream stream, IEnumerable<(string Name, Tensor Value)> entries)
    {
        var list = entries.ToList();
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(s_magic);
        writer.Write(list.Count);
        foreach ((string name, Tensor value) in list)
        {
            using Tensor cpu = value.detach().cpu().contiguous();
            writer.Write(name);
            writer.Write((int)cpu.dtype);
            writer.Write((int)cpu.dim());
            foreach (long d in cpu.shape)
            {
                writer.Write(d);
            }

            ReadOnlySpan<byte> bytes = cpu.numel() == 0 ? [] : cpu.bytes;
            writer.Write((long)bytes.Length);
            writer.Write(bytes);
        }
    }

    /// <summary>Reads tensors onto the CPU; <paramref name="source"/> names the file in errors.</summary>
    public static Dictionary<string, Tensor> Read(Stream stream, string source)
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

            var result = new Dictionary<string, Tensor>(count, StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                var dtype = (ScalarType)reader.ReadInt32();
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

                Tensor t = empty(shape, dtype);
                if (length > 0)
                {
                    t.bytes = bytes;
                }

                result[name] = t;
            }

            return result;
        }
        catch (EndOfStreamException e)
        {
            throw new NasException($"{source}: truncated state dict", e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException)
        {
            throw new NasException($"{source}: corrupt state dict ({e.Message})", e);
        }
    }
}
