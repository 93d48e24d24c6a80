namespace Nas.Weights.Import;

/// <summary>
/// One storage of a checkpoint: the flat little-endian buffer that one or more tensors view. Tensors saved as views
/// of the same data (a transposed weight, slices of one buffer) share one <see cref="TorchStorage"/>.
/// </summary>
public sealed class TorchStorage
{
    private readonly byte[] _data;

    internal TorchStorage(string key, TorchDType dtype, long elementCount, string location, byte[] data)
    {
        Key = key;
        DType = dtype;
        ElementCount = elementCount;
        Location = location;
        _data = data;
    }

    /// <summary>The storage's key: the file <c>data/&lt;key&gt;</c> of a zip checkpoint, the saving process's storage id in a legacy one.</summary>
    public string Key { get; }

    /// <summary>The element type the storage was saved as (<see cref="TorchDType.UInt8"/> for untyped byte storages).</summary>
    public TorchDType DType { get; }

    /// <summary>Number of <see cref="DType"/> elements.</summary>
    public long ElementCount { get; }

    /// <summary>The device it was saved from (<c>cpu</c>, <c>cuda:0</c>); data is always read onto the CPU.</summary>
    public string Location { get; }

    /// <summary>The raw bytes, little-endian, <see cref="ElementCount"/> × element size long.</summary>
    public ReadOnlyMemory<byte> Data => _data;

    public override string ToString() => $"storage '{Key}' {ElementCount} x {DType.TorchName()} ({Location})";
}
