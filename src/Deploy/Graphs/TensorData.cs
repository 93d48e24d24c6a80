using System.Runtime.InteropServices;
using Google.Protobuf;
using Nas.Onnx.Protos;

namespace Nas.Deploy.Graphs;

/// <summary>Reads and writes the values of ONNX initializers (raw_data little-endian or the typed repeated fields).</summary>
public static class TensorData
{
    public static bool IsFloat(TensorProto t) => t.DataType == (int)TensorProto.Types.DataType.Float;

    public static long[] Shape(TensorProto t) => [.. t.Dims];

    public static long Count(TensorProto t) => t.Dims.Aggregate(1L, (a, b) => a * b);

    public static float[] Floats(TensorProto t)
    {
        if (!IsFloat(t))
        {
            throw new InvalidOperationException($"initializer '{t.Name}' is not float32");
        }

        return t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray() : [.. t.FloatData];
    }

    public static long[] Int64s(TensorProto t) =>
        t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, long>(t.RawData.Span).ToArray() : [.. t.Int64Data];

    public static TensorProto Float(string name, float[] values, params long[] dims) => Raw(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    public static TensorProto Int8(string name, sbyte[] values, params long[] dims) => Raw(name, TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    public static TensorProto UInt8(string name, byte[] values, params long[] dims) => Raw(name, TensorProto.Types.DataType.Uint8, values, dims);

    public static TensorProto Int32(string name, int[] values, params long[] dims) => Raw(name, TensorProto.Types.DataType.Int32, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    public static TensorProto Half(string name, Half[] values, params long[] dims) => Raw(name, TensorProto.Types.DataType.Float16, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    private static TensorProto Raw(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.AddRange(dims);
        return t;
    }
}
