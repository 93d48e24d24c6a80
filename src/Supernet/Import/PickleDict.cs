namespace Nas.Supernet.Import;

/// <summary>A Python dict / OrderedDict read from a pickle, keeping insertion order.</summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object, object?>> _items = [];

    public IReadOnlyList<KeyValuePair<object, object?>> Items => _items;

    public void Set(object key, object? value)
    {
        for (int i = 0; i < _items.Count; i++)
        {
            if (Equals(_items[i].Key, key))
            {
                _items[i] = new(key, value);
                return;
            }
        }

        _items.Add(new(key, value));
    }

    public object? Get(string key) => _items.FirstOrDefault(kv => kv.Key is string s && s == key).Value;
}
