using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Nas.Core.Tensors;

/// <summary>
/// A named tensor held as little-endian bytes without any tensor library: what checkpoints store and what the ONNX
/// writer and the official-weight import read. Shapes are row-major; a scalar has an empty shape.
/// </summary>
public sealed class TensorData
{
    public TensorData(string name, TensorDType dtype, long[] shape, byte[] bytes)
    {
        long elements = shape.Aggregate(1L, (a, b) => b < 0 ? throw new ArgumentException($"tensor '{name}': negative dimension") : checked(a * b));
        if (elements * ElementSize(dtype) != bytes.Length)
        {
            throw new ArgumentException($"tensor '{name}': {bytes.Length} bytes do not fit shape [{string.Join(",", shape)}] of {dtype}");
        }

        Name = name;
        DType = dtype;
        Shape = shape;
        Bytes = bytes;
        Elements = elements;
    }

    public string Name { get; }

    public TensorDType DType { get; }

    public IReadOnlyList<long> Shape { get; }

    public long Elements { get; }

    /// <summary>The raw little-endian elements.</summary>
    public byte[] Bytes { get; }

    public bool IsFloatingPoint => DType is TensorDType.Float16 or TensorDType.Float32 or TensorDType.Float64 or TensorDType.BFloat16;

    public static TensorData FromFloats(string name, long[] shape, float[] values) =>
        new(name, TensorDType.Float32, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static TensorData FromInt64s(string name, long[] shape, long[] values) =>
        new(name, TensorDType.Int64, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public TensorData Rename(string name) => new(name, DType, [.. Shape], Bytes);

    public bool SameShape(IReadOnlyList<long> shape) => Shape.SequenceEqual(shape);

    public bool SameShape(IReadOnlyList<int> shape) => Shape.Count == shape.Count && Shape.Select((d, i) => d == shape[i]).All(x => x);

    /// <summary>The elements as float32 (converting from any numeric type).</summary>
    public float[] ToFloatArray()
    {
        var result = new float[Elements];
        ReadOnlySpan<byte> b = Bytes;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = DType switch
            {
                TensorDType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(b[(4 * i)..]),
                TensorDType.Float64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(b[(8 * i)..]),
                TensorDType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(b[(2 * i)..]),
                TensorDType.BFloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b[(2 * i)..]) << 16),
                _ => ToInt64(b, i),
            };
        }

        return result;
    }

    /// <summary>The elements as int64 (floating-point values truncated).</summary>
    public long[] ToInt64Array()
    {
        var result = new long[Elements];
        ReadOnlySpan<byte> b = Bytes;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = IsFloatingPoint ? (long)ToFloatAt(b, i) : ToInt64(b, i);
        }

        return result;
    }

    public static int ElementSize(TensorDType dtype) => dtype switch
    {
        TensorDType.UInt8 or TensorDType.Int8 or TensorDType.Bool => 1,
        TensorDType.Int16 or TensorDType.Float16 or TensorDType.BFloat16 => 2,
        TensorDType.Int32 or TensorDType.Float32 => 4,
        TensorDType.Int64 or TensorDType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unsupported tensor element type"),
    };

    public override string ToString() => $"{Name} {DType} [{string.Join(", ", Shape)}]";

    private float ToFloatAt(ReadOnlySpan<byte> b, int i) => DType switch
    {
        TensorDType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(b[(4 * i)..]),
        TensorDType.Float64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(b[(8 * i)..]),
        TensorDType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(b[(2 * i)..]),
        _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b[(2 * i)..]) << 16),
    };

    private long ToInt64(ReadOnlySpan<byte> b, int i) => DType switch
    {
        TensorDType.UInt8 or TensorDType.Bool => b[i],
        TensorDType.Int8 => (sbyte)b[i],
        TensorDType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(b[(2 * i)..]),
        TensorDType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(b[(4 * i)..]),
        TensorDType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(b[(8 * i)..]),
        _ => throw new InvalidOperationException($"tensor '{Name}' of {DType} is not an integer tensor"),
    };
}
