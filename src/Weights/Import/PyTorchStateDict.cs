using System.Collections;

namespace Nas.Weights.Import;

/// <summary>
/// The tensors of a PyTorch state dict in file order, with lookup by name. Entries of the state dict that are not
/// tensors (e.g. a module's <c>_extra_state</c>) are listed in <see cref="IgnoredEntries"/>.
/// </summary>
public sealed class PyTorchStateDict : IReadOnlyList<RawTensor>
{
    private readonly IReadOnlyList<RawTensor> _tensors;
    private readonly Dictionary<string, RawTensor> _byName;

    internal PyTorchStateDict(string path, PyTorchCheckpointFormat format, string? containerKey, IReadOnlyList<RawTensor> tensors, IReadOnlyList<string> ignoredEntries)
    {
        Path = path;
        Format = format;
        ContainerKey = containerKey;
        _tensors = tensors;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        IgnoredEntries = ignoredEntries;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    public PyTorchCheckpointFormat Format { get; }

    /// <summary>Where the state dict was found: null for the top-level object, else <c>state_dict</c>, <c>model_state_dict</c> or <c>model</c>.</summary>
    public string? ContainerKey { get; }

    /// <summary>Names of state-dict entries that are not tensors, skipped.</summary>
    public IReadOnlyList<string> IgnoredEntries { get; }

    public int Count => _tensors.Count;

    public IEnumerable<string> Names => _tensors.Select(t => t.Name);

    public RawTensor this[int index] => _tensors[index];

    public RawTensor this[string name] =>
        _byName.TryGetValue(name, out RawTensor? tensor) ? tensor : throw new KeyNotFoundException($"{Path}: no tensor '{name}'");

    public bool Contains(string name) => _byName.ContainsKey(name);

    public bool TryGetValue(string name, out RawTensor tensor) => _byName.TryGetValue(name, out tensor!);

    public IEnumerator<RawTensor> GetEnumerator() => _tensors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
