namespace Nas.Weights.Import;

/// <summary>
/// A storage named by a persistent id <c>('storage', type, key, location, numel[, view])</c>: its key (the file
/// <c>data/&lt;key&gt;</c> in a zip checkpoint, a position in the storage list of a legacy one), element type,
/// element count and device.
/// </summary>
internal sealed record PickleStorage(string Key, TorchDType DType, long Numel, string Location);
