using Nas.Core.Tensors;

namespace Nas.Weights.Import;

/// <summary>Copies a checkpoint's strided tensor into a contiguous <see cref="TensorData"/> (float32 for floating types, int64 otherwise).</summary>
public static class RawTensorConversion
{
    public static TensorData ToTensorData(this RawTensor raw, string? name = null)
    {
        long[] shape = raw.ShapeArray();
        return raw.IsFloatingPoint
            ? TensorData.FromFloats(name ?? raw.Name, shape, raw.ToFloatArray())
            : TensorData.FromInt64s(name ?? raw.Name, shape, raw.ToInt64Array());
    }
}
