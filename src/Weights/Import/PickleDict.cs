namespace Nas.Weights.Import;

/// <summary>
/// A Python <c>dict</c> or <c>collections.OrderedDict</c> read from a pickle. Keeps insertion order (setting an
/// existing key keeps its place, as Python does); keys compare by value for strings and numbers (see
/// <see cref="PickleKeyComparer"/>).
/// </summary>
internal sealed class PickleDict
{
    private static readonly object s_noneKey = new();

    private readonly List<KeyValuePair<object?, object?>> _items = [];
    private readonly Dictionary<object, int> _index = new(PickleKeyComparer.Instance);

    public IReadOnlyList<KeyValuePair<object?, object?>> Items => _items;

    /// <summary>The state a BUILD opcode attached (an OrderedDict's <c>__dict__</c>, e.g. a state dict's <c>_metadata</c>).</summary>
    public object? Attributes { get; set; }

    /// <summary>Sets <paramref name="key"/>; returns false when the key is unhashable in Python (a list or a dict).</summary>
    public bool TrySet(object? key, object? value)
    {
        if (key is List<object?> or PickleDict)
        {
            return false;
        }

        object slot = key ?? s_noneKey;
        if (_index.TryGetValue(slot, out int position))
        {
            _items[position] = new(key, value);
        }
        else
        {
            _index[slot] = _items.Count;
            _items.Add(new(key, value));
        }

        return true;
    }

    public bool TryGetValue(string key, out object? value)
    {
        if (_index.TryGetValue(key, out int position))
        {
            value = _items[position].Value;
            return true;
        }

        value = null;
        return false;
    }
}
