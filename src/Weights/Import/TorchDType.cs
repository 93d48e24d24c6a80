namespace Nas.Weights.Import;

/// <summary>Element types of PyTorch tensors this reader accepts (see <see cref="TorchDTypes"/> for sizes and names).</summary>
public enum TorchDType
{
    Float32,
    Float16,
    BFloat16,
    Float64,
    Int64,
    Int32,
    Int16,
    Int8,
    UInt8,
    Bool,
}
