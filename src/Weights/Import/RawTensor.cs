using System.Buffers.Binary;
using System.Collections.ObjectModel;
using System.Runtime.InteropServices;

namespace Nas.Weights.Import;

/// <summary>
/// A tensor of a PyTorch checkpoint exactly as saved: a strided view (<see cref="Shape"/>, <see cref="Strides"/>,
/// <see cref="StorageOffset"/>, all in elements) of a <see cref="TorchStorage"/> that other tensors may share.
/// <see cref="ToFloatArray"/> and <see cref="ToInt64Array"/> copy it out as a contiguous row-major array.
/// The view is checked against its storage when the checkpoint is loaded, so the copies cannot fail.
/// </summary>
public sealed class RawTensor
{
    private readonly long[] _shape;
    private readonly long[] _strides;
    private readonly bool _negative;

    internal RawTensor(string name, TorchDType dtype, long[] shape, long[] strides, long storageOffset, TorchStorage storage, bool requiresGrad, bool negative)
    {
        Name = name;
        DType = dtype;
        _shape = shape;
        _strides = strides;
        StorageOffset = storageOffset;
        Storage = storage;
        RequiresGrad = requiresGrad;
        _negative = negative;
        Shape = new ReadOnlyCollection<long>(shape);
        Strides = new ReadOnlyCollection<long>(strides);
        Numel = shape.Aggregate(1L, (a, b) => a * b);
    }

    /// <summary>The state-dict key (<c>encoder.conv1.0.weight</c>).</summary>
    public string Name { get; }

    public TorchDType DType { get; }

    /// <summary>Sizes per dimension; empty for a scalar (<c>num_batches_tracked</c>).</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Element strides per dimension, as saved (not necessarily contiguous).</summary>
    public IReadOnlyList<long> Strides { get; }

    /// <summary>Index of the first element in <see cref="Storage"/>, in elements of <see cref="DType"/>.</summary>
    public long StorageOffset { get; }

    public TorchStorage Storage { get; }

    /// <summary>The saved <c>requires_grad</c> flag (false for state dicts saved the usual way).</summary>
    public bool RequiresGrad { get; }

    public long Numel { get; }

    public int Rank => _shape.Length;

    public bool IsFloatingPoint => DType.IsFloatingPoint();

    /// <summary>True when the elements lie in row-major order without gaps (dimensions of size 1 ignored).</summary>
    public bool IsContiguous
    {
        get
        {
            long expected = 1;
            for (int d = _shape.Length - 1; d >= 0; d--)
            {
                if (_shape[d] != 1 && _strides[d] != expected)
                {
                    return false;
                }

                expected *= _shape[d];
            }

            return true;
        }
    }

    /// <summary>The shape as a new array (for APIs that take <c>long[]</c>).</summary>
    public long[] ShapeArray() => (long[])_shape.Clone();

    /// <summary>
    /// The elements in row-major order as <see cref="float"/>: float16/bfloat16 widened exactly, float64 rounded,
    /// integer and bool types converted (integers beyond 2^24 lose precision; use <see cref="ToInt64Array"/>).
    /// </summary>
    public float[] ToFloatArray()
    {
        float[] result = new float[Numel];
        ReadOnlySpan<byte> data = Storage.Data.Span;
        if (DType == TorchDType.Float32 && IsContiguous && BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(data.Slice(checked((int)(StorageOffset * 4)), result.Length * 4)).CopyTo(result);
        }
        else
        {
            GatherStrided(result, ReadFloat);
        }

        NegateIfNeeded(result);
        return result;
    }

    /// <summary>The elements in row-major order as <see cref="long"/>; integer and bool tensors only (bool → 0/1).</summary>
    public long[] ToInt64Array()
    {
        if (IsFloatingPoint)
        {
            throw new InvalidOperationException($"tensor '{Name}' is {DType.TorchName()}; use ToFloatArray");
        }

        long[] result = new long[Numel];
        GatherStrided(result, ReadInteger);
        NegateIfNeeded(result);
        return result;
    }

    /// <summary>Copies the strided view element by element into <paramref name="result"/> (row-major order).</summary>
    private void GatherStrided<T>(T[] result, Func<ReadOnlySpan<byte>, T> read)
    {
        ReadOnlySpan<byte> data = Storage.Data.Span;
        int size = DType.ElementSize();
        var cursor = new ElementCursor(_shape, _strides, StorageOffset);
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = read(data.Slice((int)(cursor.Element * size), size));
            cursor.Advance();
        }
    }

    /// <summary>Applies the negative bit of a lazily negated view (saved in the tensor metadata as <c>neg</c>).</summary>
    private void NegateIfNeeded<T>(T[] result)
        where T : System.Numerics.INumber<T>
    {
        if (_negative)
        {
            for (int j = 0; j < result.Length; j++)
            {
                result[j] = -result[j];
            }
        }
    }

    public override string ToString() => $"{Name} {DType.TorchName()} [{string.Join(", ", _shape)}]";

    private float ReadFloat(ReadOnlySpan<byte> bytes) => DType switch
    {
        TorchDType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(bytes),
        TorchDType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes),
        TorchDType.BFloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16),
        TorchDType.Float64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes),
        _ => ReadInteger(bytes),
    };

    private long ReadInteger(ReadOnlySpan<byte> bytes) => DType switch
    {
        TorchDType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes),
        TorchDType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
        TorchDType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes),
        TorchDType.Int8 => (sbyte)bytes[0],
        TorchDType.UInt8 => bytes[0],
        TorchDType.Bool => bytes[0] != 0 ? 1 : 0,
        _ => throw new InvalidOperationException($"tensor '{Name}' is {DType.TorchName()}"),
    };
}
