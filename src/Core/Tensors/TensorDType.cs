namespace Nas.Core.Tensors;

/// <summary>Element types of stored tensors; the values are the dtype codes of the Nas state-dict file (TorchSharp's <c>ScalarType</c>).</summary>
public enum TensorDType
{
    UInt8 = 0,
    Int8 = 1,
    Int16 = 2,
    Int32 = 3,
    Int64 = 4,
    Float16 = 5,
    Float32 = 6,
    Float64 = 7,
    Bool = 11,
    BFloat16 = 15,
}
