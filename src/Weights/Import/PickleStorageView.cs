namespace Nas.Weights.Import;

/// <summary>
/// What a persistent id resolves to: a whole storage, or (legacy files written by torch &lt; 0.4) a view of
/// <paramref name="Numel"/> elements starting at element <paramref name="Offset"/> of it.
/// </summary>
internal sealed record PickleStorageView(PickleStorage Storage, long Offset, long Numel);
