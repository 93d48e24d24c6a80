namespace Nas.Weights.Import;

/// <summary>An opened checkpoint file: its unpickled root object, and access to the raw bytes of its storages.</summary>
internal abstract class CheckpointContainer : IDisposable
{
    protected CheckpointContainer(string path, object? root)
    {
        Path = path;
        Root = root;
    }

    public string Path { get; }

    /// <summary>The object <c>torch.save</c> was given, as unpickled values.</summary>
    public object? Root { get; }

    /// <summary>The bytes of the given storages, checked to be exactly element count × element size long.</summary>
    public abstract IReadOnlyDictionary<string, byte[]> ReadStorages(IReadOnlyCollection<PickleStorage> storages);

    public virtual void Dispose()
    {
    }

    protected static long ByteLength(PickleStorage storage, string path)
    {
        long size = storage.DType.ElementSize();
        if (storage.Numel > Array.MaxLength / size)
        {
            throw new Nas.Core.NasException($"{path}: storage '{storage.Key}' of {storage.Numel} x {storage.DType.TorchName()} is too large to load (more than 2 GB)");
        }

        return storage.Numel * size;
    }
}
