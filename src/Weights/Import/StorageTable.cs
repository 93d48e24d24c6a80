namespace Nas.Weights.Import;

/// <summary>The storages named by the persistent ids of one pickle, by key. A key always means the same storage.</summary>
internal sealed class StorageTable
{
    private readonly Dictionary<string, PickleStorage> _byKey = new(StringComparer.Ordinal);

    public bool TryGet(string key, out PickleStorage storage) => _byKey.TryGetValue(key, out storage!);

    /// <summary>Returns the storage registered under the key (the first one), or a message when the ids disagree.</summary>
    public PickleStorage Register(PickleStorage storage, out string? conflict)
    {
        conflict = null;
        if (!_byKey.TryGetValue(storage.Key, out PickleStorage? known))
        {
            _byKey[storage.Key] = storage;
            return storage;
        }

        if (known.DType != storage.DType || known.Numel != storage.Numel)
        {
            conflict = $"storage '{storage.Key}' is declared twice, as {known.Numel} x {known.DType.TorchName()} and as {storage.Numel} x {storage.DType.TorchName()}";
        }

        return known;
    }
}
