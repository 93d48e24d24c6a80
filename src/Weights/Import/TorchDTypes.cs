namespace Nas.Weights.Import;

/// <summary>Facts about <see cref="TorchDType"/>: element size in bytes, floating or not, PyTorch's name.</summary>
public static class TorchDTypes
{
    public static int ElementSize(this TorchDType dtype) => dtype switch
    {
        TorchDType.Float64 or TorchDType.Int64 => 8,
        TorchDType.Float32 or TorchDType.Int32 => 4,
        TorchDType.Float16 or TorchDType.BFloat16 or TorchDType.Int16 => 2,
        TorchDType.Int8 or TorchDType.UInt8 or TorchDType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static bool IsFloatingPoint(this TorchDType dtype) =>
        dtype is TorchDType.Float32 or TorchDType.Float16 or TorchDType.BFloat16 or TorchDType.Float64;

    /// <summary>The name PyTorch prints (<c>float32</c>, <c>int64</c>, ...).</summary>
    public static string TorchName(this TorchDType dtype) => dtype switch
    {
        TorchDType.Float32 => "float32",
        TorchDType.Float16 => "float16",
        TorchDType.BFloat16 => "bfloat16",
        TorchDType.Float64 => "float64",
        TorchDType.Int64 => "int64",
        TorchDType.Int32 => "int32",
        TorchDType.Int16 => "int16",
        TorchDType.Int8 => "int8",
        TorchDType.UInt8 => "uint8",
        TorchDType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };
}
