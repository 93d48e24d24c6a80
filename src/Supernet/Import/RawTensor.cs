namespace Nas.Supernet.Import;

/// <summary>
/// A tensor read from a PyTorch checkpoint, copied out into a contiguous row-major array: floating types as
/// <see cref="float"/> (float16/bfloat16 widened, float64 narrowed), integer and bool types as <see cref="long"/>.
/// </summary>
public sealed record RawTensor(string Name, TorchDType DType, long[] Shape, float[]? Floats, long[]? Integers)
{
    public long Numel => Shape.Aggregate(1L, (a, b) => a * b);

    public bool IsFloatingPoint => Floats is not null;

    public override string ToString() => $"{Name} {DType} [{string.Join(",", Shape)}]";
}
