namespace Nas.Weights.Import;

/// <summary>
/// What <c>torch._utils._rebuild_tensor_v2</c> (or <c>_v3</c>) would build: a strided view of a storage.
/// <paramref name="Offset"/> and <paramref name="Stride"/> count elements of <paramref name="DType"/>;
/// <paramref name="Negative"/> is the tensor's lazy negation bit (metadata <c>neg</c>).
/// </summary>
internal sealed record PickleTensor(
    PickleStorageView Storage,
    TorchDType DType,
    long Offset,
    long[] Shape,
    long[] Stride,
    bool RequiresGrad,
    bool Negative);
