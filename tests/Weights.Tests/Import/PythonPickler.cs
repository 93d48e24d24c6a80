using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Nas.Weights.Tests.Import;

/// <summary>
/// A test-side pickler that writes what CPython's C pickler (<c>_pickle.Pickler</c>, the one <c>torch.save</c> uses)
/// writes at protocol 2: PROTO 2, BINUNICODE strings, BININT1/BININT2/BININT/LONG1 ints, NEWTRUE/NEWFALSE,
/// EMPTY_TUPLE/TUPLE1-3/MARK..TUPLE, EMPTY_LIST + APPEND(S), EMPTY_DICT + SETITEM(S) in batches of 1000, GLOBAL,
/// REDUCE (+ BUILD for state), BINPERSID, and the memo: every string, tuple, list, dict, global and reduced object
/// is memoized (BINPUT/LONG_BINPUT) on first sight and re-emitted as BINGET/LONG_BINGET, by object identity
/// (globals by name, as Python's classes are singletons).
/// </summary>
internal sealed class PythonPickler
{
    private const int BatchSize = 1000;

    private readonly Func<object, object?[]?>? _persistentId;
    private readonly MemoryStream _out = new();
    private readonly Dictionary<object, int> _memo = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Global, int> _globalMemo = [];

    public PythonPickler(Func<object, object?[]?>? persistentId = null)
    {
        _persistentId = persistentId;
    }

    /// <summary>A module-level name (a class or function), pickled with GLOBAL.</summary>
    public sealed record Global(string Module, string Name);

    /// <summary>
    /// An object whose <c>__reduce__</c> gave (func, args, state, listitems, dictitems): REDUCE, memoized, then
    /// the dict items (batched SETITEMS) and the state (BUILD).
    /// </summary>
    public sealed class Reduce(Global func, object?[] args, object? state = null, IReadOnlyList<KeyValuePair<object?, object?>>? dictItems = null)
    {
        public Global Func { get; } = func;

        public object?[] Args { get; } = args;

        public object? State { get; } = state;

        public IReadOnlyList<KeyValuePair<object?, object?>>? DictItems { get; } = dictItems;
    }

    /// <summary>A plain (exact) Python dict, in insertion order.</summary>
    public sealed class Dict : List<KeyValuePair<object?, object?>>
    {
        public void Add(object? key, object? value) => Add(new KeyValuePair<object?, object?>(key, value));
    }

    /// <summary>Opcodes written verbatim (to build hostile pickles).</summary>
    public sealed record Raw(byte[] Bytes);

    public static Global OrderedDictClass { get; } = new("collections", "OrderedDict");

    /// <summary>An <c>OrderedDict</c> as Python reduces it: (OrderedDict, (), vars(od) or None, None, iter(items)).</summary>
    public static Reduce OrderedDict(IReadOnlyList<KeyValuePair<object?, object?>> items, object? attributes = null) =>
        new(OrderedDictClass, [], attributes, items);

    public static byte[] Dumps(object? value, Func<object, object?[]?>? persistentId = null) => new PythonPickler(persistentId).Dump(value);

    public byte[] Dump(object? value)
    {
        _out.SetLength(0);
        _out.WriteByte(0x80);
        _out.WriteByte(2);
        Save(value);
        _out.WriteByte((byte)'.');
        return _out.ToArray();
    }

    private void Save(object? value, bool allowPersistentId = true)
    {
        if (allowPersistentId && value is not null && _persistentId?.Invoke(value) is object?[] pid)
        {
            Save(pid, allowPersistentId: false);
            Op('Q');
            return;
        }

        if (value is Global g)
        {
            if (_globalMemo.TryGetValue(g, out int gi))
            {
                Get(gi);
                return;
            }

            Op('c');
            _out.Write(Encoding.UTF8.GetBytes($"{g.Module}\n{g.Name}\n"));
            _globalMemo[g] = Memoize();
            return;
        }

        if (value is not null && _memo.TryGetValue(value, out int index))
        {
            Get(index);
            return;
        }

        switch (value)
        {
            case null:
                Op('N');
                break;
            case bool b:
                Op(b ? 0x88 : 0x89);
                break;
            case int i:
                SaveLong(i);
                break;
            case long l:
                SaveLong(l);
                break;
            case BigInteger big:
                SaveLong(big);
                break;
            case double d:
                Op('G');
                Span<byte> eight = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(eight, d);
                _out.Write(eight);
                break;
            case string s:
                byte[] utf8 = Encoding.UTF8.GetBytes(s);
                Op('X');
                WriteUInt32((uint)utf8.Length);
                _out.Write(utf8);
                _memo[s] = Memoize();
                break;
            case object?[] tuple:
                SaveTuple(tuple);
                break;
            case Dict dict:
                Op('}');
                _memo[dict] = Memoize();
                BatchDictExact(dict);
                break;
            case List<object?> list:
                Op(']');
                _memo[list] = Memoize();
                BatchListExact(list);
                break;
            case Reduce r:
                Save(r.Func);
                Save(r.Args);
                Op('R');
                _memo[r] = Memoize();
                if (r.DictItems is not null)
                {
                    BatchDictIterator(r.DictItems);
                }

                if (r.State is not null)
                {
                    Save(r.State);
                    Op('b');
                }

                break;
            case Raw raw:
                _out.Write(raw.Bytes);
                break;
            default:
                throw new ArgumentException($"cannot pickle {value.GetType().Name}");
        }
    }

    private void SaveTuple(object?[] tuple)
    {
        if (tuple.Length == 0)
        {
            Op(')'); // the empty tuple is a singleton and never memoized
            return;
        }

        if (tuple.Length <= 3)
        {
            foreach (object? item in tuple)
            {
                Save(item);
            }

            Op(0x84 + tuple.Length); // TUPLE1..TUPLE3
        }
        else
        {
            Op('(');
            foreach (object? item in tuple)
            {
                Save(item);
            }

            Op('t');
        }

        _memo[tuple] = Memoize();
    }

    /// <summary>C's batch_list_exact: one item → APPEND; else MARK ... APPENDS per batch of 1000.</summary>
    private void BatchListExact(List<object?> list)
    {
        if (list.Count == 0)
        {
            return;
        }

        if (list.Count == 1)
        {
            Save(list[0]);
            Op('a');
            return;
        }

        int total = 0;
        do
        {
            Op('(');
            int batch = 0;
            while (total < list.Count)
            {
                Save(list[total++]);
                if (++batch == BatchSize)
                {
                    break;
                }
            }

            Op('e');
        }
        while (total < list.Count);
    }

    /// <summary>C's batch_dict_exact: one item → SETITEM; else MARK ... SETITEMS per batch, while a batch was full.</summary>
    private void BatchDictExact(Dict dict)
    {
        if (dict.Count == 0)
        {
            return;
        }

        if (dict.Count == 1)
        {
            Save(dict[0].Key);
            Save(dict[0].Value);
            Op('s');
            return;
        }

        int position = 0;
        int batch;
        do
        {
            batch = 0;
            Op('(');
            while (position < dict.Count)
            {
                Save(dict[position].Key);
                Save(dict[position].Value);
                position++;
                if (++batch == BatchSize)
                {
                    break;
                }
            }

            Op('u');
        }
        while (batch == BatchSize);
    }

    /// <summary>C's batch_dict (items from an iterator, as for OrderedDict): a lone item in a batch → SETITEM.</summary>
    private void BatchDictIterator(IReadOnlyList<KeyValuePair<object?, object?>> items)
    {
        int position = 0;
        while (position < items.Count)
        {
            if (position + 1 == items.Count)
            {
                Save(items[position].Key);
                Save(items[position].Value);
                Op('s');
                return;
            }

            Op('(');
            int batch = 0;
            while (position < items.Count && batch < BatchSize)
            {
                Save(items[position].Key);
                Save(items[position].Value);
                position++;
                batch++;
            }

            Op('u');
        }
    }

    private void SaveLong(BigInteger value)
    {
        if (value >= 0 && value <= 0xff)
        {
            Op('K');
            _out.WriteByte((byte)value);
        }
        else if (value >= 0 && value <= 0xffff)
        {
            Op('M');
            Span<byte> two = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(two, (ushort)value);
            _out.Write(two);
        }
        else if (value >= int.MinValue && value <= int.MaxValue)
        {
            Op('J');
            Span<byte> four = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(four, (int)value);
            _out.Write(four);
        }
        else
        {
            byte[] bytes = value.ToByteArray(); // little-endian two's complement, minimal, like pickle.encode_long
            Op(0x8a);
            _out.WriteByte((byte)bytes.Length);
            _out.Write(bytes);
        }
    }

    private int Memoize()
    {
        int index = _memo.Count + _globalMemo.Count;
        if (index < 256)
        {
            Op('q');
            _out.WriteByte((byte)index);
        }
        else
        {
            Op('r');
            WriteUInt32((uint)index);
        }

        return index;
    }

    private void Get(int index)
    {
        if (index < 256)
        {
            Op('h');
            _out.WriteByte((byte)index);
        }
        else
        {
            Op('j');
            WriteUInt32((uint)index);
        }
    }

    private void Op(int op) => _out.WriteByte((byte)op);

    private void WriteUInt32(uint value)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(four, value);
        _out.Write(four);
    }
}
