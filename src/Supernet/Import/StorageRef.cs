namespace Nas.Supernet.Import;

/// <summary>A persistent-id reference to a storage: its key, element type, element count and, for legacy views, an offset into a root storage.</summary>
internal sealed record StorageRef(string Key, TorchDType DType, long Numel, string? RootKey = null, long RootOffset = 0);
