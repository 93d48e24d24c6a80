using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Nas.Core;

namespace Nas.Supernet.Import;

/// <summary>
/// A pickle reader that executes nothing. It understands the opcodes PyTorch checkpoints use (protocols 2–5) and
/// an allow-list of globals: <c>collections.OrderedDict</c>, <c>torch._utils._rebuild_tensor(_v2)</c>,
/// <c>torch._utils._rebuild_parameter</c> and the typed storage classes (<c>torch.FloatStorage</c>, ...). Any other
/// global — <c>os.system</c>, <c>builtins.eval</c>, a model class — is refused with an error naming it.
/// Persistent ids must be PyTorch storage references (<c>('storage', type, key, location, numel[, view])</c>).
/// </summary>
internal sealed class SafeUnpickler
{
    private static readonly Dictionary<string, TorchDType> s_storageTypes = new(StringComparer.Ordinal)
    {
        ["torch.FloatStorage"] = TorchDType.Float32,
        ["torch.HalfStorage"] = TorchDType.Float16,
        ["torch.BFloat16Storage"] = TorchDType.BFloat16,
        ["torch.DoubleStorage"] = TorchDType.Float64,
        ["torch.LongStorage"] = TorchDType.Int64,
        ["torch.IntStorage"] = TorchDType.Int32,
        ["torch.ShortStorage"] = TorchDType.Int16,
        ["torch.CharStorage"] = TorchDType.Int8,
        ["torch.ByteStorage"] = TorchDType.UInt8,
        ["torch.BoolStorage"] = TorchDType.Bool,
    };

    private static readonly HashSet<string> s_callables = new(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
    };

    private static readonly object s_mark = new();

    private readonly Stream _stream;
    private readonly string _source;
    private readonly Dictionary<long, object?> _memo = [];
    private readonly List<object?> _stack = [];

    public SafeUnpickler(Stream stream, string source)
    {
        _stream = stream;
        _source = source;
    }

    /// <summary>Reads one pickle (up to STOP) from the current position.</summary>
    public object? Load()
    {
        while (true)
        {
            long offset = _stream.Position;
            int op = _stream.ReadByte();
            if (op < 0)
            {
                throw Fail(offset, "unexpected end of file inside a pickle (the file is truncated)");
            }

            switch (op)
            {
                case 0x80: // PROTO
                    int protocol = ReadByte();
                    if (protocol > 5)
                    {
                        throw Fail(offset, $"unsupported pickle protocol {protocol}");
                    }

                    break;
                case 0x95: // FRAME
                    ReadBytes(8);
                    break;
                case '.': // STOP
                    return Pop(offset);
                case '}':
                    Push(new PickleDict());
                    break;
                case ']':
                    Push(new List<object?>());
                    break;
                case ')':
                    Push(Array.Empty<object?>());
                    break;
                case '(':
                    Push(s_mark);
                    break;
                case 'N':
                    Push(null);
                    break;
                case 0x88:
                    Push(true);
                    break;
                case 0x89:
                    Push(false);
                    break;
                case 'K': // BININT1
                    Push((long)ReadByte());
                    break;
                case 'M': // BININT2
                    Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2)));
                    break;
                case 'J': // BININT
                    Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)));
                    break;
                case 0x8a: // LONG1
                    Push(ReadLong(ReadByte()));
                    break;
                case 0x8b: // LONG4
                    Push(ReadLong(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))));
                    break;
                case 'G': // BINFLOAT (big-endian)
                    Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8)));
                    break;
                case 'X': // BINUNICODE
                    Push(Encoding.UTF8.GetString(ReadBytes(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))))));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    Push(Encoding.UTF8.GetString(ReadBytes(ReadByte())));
                    break;
                case 0x8d: // BINUNICODE8
                    Push(Encoding.UTF8.GetString(ReadBytes(checked((int)BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8))))));
                    break;
                case 'T': // BINSTRING
                    Push(Encoding.Latin1.GetString(ReadBytes(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))))));
                    break;
                case 'U': // SHORT_BINSTRING
                    Push(Encoding.Latin1.GetString(ReadBytes(ReadByte())));
                    break;
                case 'B': // BINBYTES
                    Push(ReadBytes(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))));
                    break;
                case 'C': // SHORT_BINBYTES
                    Push(ReadBytes(ReadByte()));
                    break;
                case 0x8e: // BINBYTES8
                    Push(ReadBytes(checked((int)BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8)))));
                    break;
                case 0x85: // TUPLE1
                    Push(new[] { Pop(offset) });
                    break;
                case 0x86: // TUPLE2
                    {
                        object? b = Pop(offset), a = Pop(offset);
                        Push(new[] { a, b });
                        break;
                    }

                case 0x87: // TUPLE3
                    {
                        object? c = Pop(offset), b = Pop(offset), a = Pop(offset);
                        Push(new[] { a, b, c });
                        break;
                    }

                case 't':
                    Push(PopToMark(offset).ToArray());
                    break;
                case 'l':
                    Push(PopToMark(offset));
                    break;
                case 'd':
                    {
                        List<object?> items = PopToMark(offset);
                        var dict = new PickleDict();
                        SetItems(dict, items, offset);
                        Push(dict);
                        break;
                    }

                case 'a': // APPEND
                    {
                        object? value = Pop(offset);
                        AsList(Peek(offset), offset).Add(value);
                        break;
                    }

                case 'e': // APPENDS
                    {
                        List<object?> items = PopToMark(offset);
                        AsList(Peek(offset), offset).AddRange(items);
                        break;
                    }

                case 's': // SETITEM
                    {
                        object? value = Pop(offset), key = Pop(offset);
                        SetItems(AsDict(Peek(offset), offset), [key, value], offset);
                        break;
                    }

                case 'u': // SETITEMS
                    {
                        List<object?> items = PopToMark(offset);
                        SetItems(AsDict(Peek(offset), offset), items, offset);
                        break;
                    }

                case 'q': // BINPUT
                    _memo[ReadByte()] = Peek(offset);
                    break;
                case 'r': // LONG_BINPUT
                    _memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek(offset);
                    break;
                case 0x94: // MEMOIZE
                    _memo[_memo.Count] = Peek(offset);
                    break;
                case 'h': // BINGET
                    Push(Memo(ReadByte(), offset));
                    break;
                case 'j': // LONG_BINGET
                    Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)), offset));
                    break;
                case 'c': // GLOBAL
                    Push(CheckGlobal(new PickleGlobal(ReadLine(), ReadLine()), offset));
                    break;
                case 0x93: // STACK_GLOBAL
                    {
                        object? name = Pop(offset), module = Pop(offset);
                        if (module is not string m || name is not string n)
                        {
                            throw Fail(offset, "STACK_GLOBAL without module and name strings");
                        }

                        Push(CheckGlobal(new PickleGlobal(m, n), offset));
                        break;
                    }

                case 'R': // REDUCE
                    {
                        object? args = Pop(offset), callable = Pop(offset);
                        Push(Reduce(callable, args as object?[] ?? throw Fail(offset, "REDUCE arguments are not a tuple"), offset));
                        break;
                    }

                case 0x81: // NEWOBJ
                    {
                        object? args = Pop(offset), cls = Pop(offset);
                        Push(Reduce(cls, args as object?[] ?? throw Fail(offset, "NEWOBJ arguments are not a tuple"), offset));
                        break;
                    }

                case 'b': // BUILD: object state; only dict attributes such as OrderedDict._metadata occur, and are dropped
                    {
                        _ = Pop(offset);
                        if (Peek(offset) is not PickleDict)
                        {
                            throw Fail(offset, "BUILD on something other than a dict");
                        }

                        break;
                    }

                case 'Q': // BINPERSID
                    Push(PersistentLoad(Pop(offset), offset));
                    break;
                default:
                    throw Fail(offset, $"opcode 0x{op:x2} ('{(op is >= 32 and < 127 ? (char)op : '?')}') is not allowed in a PyTorch weights file");
            }
        }
    }

    private object CheckGlobal(PickleGlobal global, long offset)
    {
        if (s_callables.Contains(global.FullName) || s_storageTypes.ContainsKey(global.FullName))
        {
            return global;
        }

        throw Fail(offset, $"refusing to load global '{global.FullName}': only tensors and dicts are allowed in a weights file (a pickle can run arbitrary code)");
    }

    private object? Reduce(object? callable, object?[] args, long offset)
    {
        if (callable is not PickleGlobal g)
        {
            throw Fail(offset, "REDUCE on something that is not an allowed global");
        }

        switch (g.FullName)
        {
            case "collections.OrderedDict":
                var dict = new PickleDict();
                if (args.Length == 1 && args[0] is List<object?> pairs)
                {
                    foreach (object? pair in pairs)
                    {
                        if (pair is object?[] { Length: 2 } kv && kv[0] is not null)
                        {
                            dict.Set(kv[0]!, kv[1]);
                        }
                    }
                }

                return dict;
            case "torch._utils._rebuild_tensor":
            case "torch._utils._rebuild_tensor_v2":
                if (args.Length < 4 || args[0] is not StorageRef storage || args[1] is not long storageOffset)
                {
                    throw Fail(offset, $"{g.FullName} with unexpected arguments");
                }

                return new TensorRef(storage, storageOffset, Longs(args[2], offset), Longs(args[3], offset));
            case "torch._utils._rebuild_parameter":
                return args.Length >= 1 && args[0] is TensorRef t ? t : throw Fail(offset, "_rebuild_parameter without a tensor");
            default:
                throw Fail(offset, $"'{g.FullName}' cannot be called");
        }
    }

    private StorageRef PersistentLoad(object? pid, long offset)
    {
        if (pid is not object?[] { Length: >= 5 } t || t[0] is not string tag || tag != "storage")
        {
            throw Fail(offset, "persistent id is not a PyTorch storage reference");
        }

        if (t[1] is not PickleGlobal type || !s_storageTypes.TryGetValue(type.FullName, out TorchDType dtype))
        {
            throw Fail(offset, $"unsupported storage type '{(t[1] as PickleGlobal)?.FullName ?? t[1]?.ToString()}'");
        }

        if (t[2] is not string key || t[4] is not long numel)
        {
            throw Fail(offset, "malformed storage reference");
        }

        if (t.Length >= 6 && t[5] is object?[] { Length: >= 3 } view && view[0] is string viewKey && view[1] is long viewOffset && view[2] is long viewSize)
        {
            // Legacy storage views: a slice of the root storage 'key'.
            return new StorageRef(viewKey, dtype, viewSize, key, viewOffset);
        }

        return new StorageRef(key, dtype, numel);
    }

    private static void SetItems(PickleDict dict, List<object?> items, long offset)
    {
        for (int i = 0; i + 1 < items.Count; i += 2)
        {
            dict.Set(items[i] ?? throw new NasException($"dict key is None at offset {offset}"), items[i + 1]);
        }
    }

    private long[] Longs(object? value, long offset) =>
        value is object?[] items ? items.Select(v => v is long l ? l : throw Fail(offset, "tensor size/stride is not a tuple of ints")).ToArray()
        : throw Fail(offset, "tensor size/stride is not a tuple");

    private List<object?> AsList(object? value, long offset) => value as List<object?> ?? throw Fail(offset, "APPEND to something that is not a list");

    private PickleDict AsDict(object? value, long offset) => value as PickleDict ?? throw Fail(offset, "SETITEM on something that is not a dict");

    private object? Memo(long key, long offset) => _memo.TryGetValue(key, out object? v) ? v : throw Fail(offset, $"memo key {key} was never stored");

    private void Push(object? value) => _stack.Add(value);

    private object? Peek(long offset) => _stack.Count > 0 && !ReferenceEquals(_stack[^1], s_mark) ? _stack[^1] : throw Fail(offset, "stack underflow");

    private object? Pop(long offset)
    {
        object? v = Peek(offset);
        _stack.RemoveAt(_stack.Count - 1);
        return v;
    }

    private List<object?> PopToMark(long offset)
    {
        int mark = _stack.FindLastIndex(o => ReferenceEquals(o, s_mark));
        if (mark < 0)
        {
            throw Fail(offset, "MARK missing");
        }

        List<object?> items = _stack.GetRange(mark + 1, _stack.Count - mark - 1);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private int ReadByte()
    {
        int b = _stream.ReadByte();
        return b >= 0 ? b : throw Fail(_stream.Position, "unexpected end of file (the file is truncated)");
    }

    private byte[] ReadBytes(int count)
    {
        if (count < 0 || count > _stream.Length - _stream.Position)
        {
            throw Fail(_stream.Position, "unexpected end of file (the file is truncated)");
        }

        byte[] buffer = new byte[count];
        _stream.ReadExactly(buffer);
        return buffer;
    }

    private string ReadLine()
    {
        var sb = new StringBuilder();
        while (true)
        {
            int b = ReadByte();
            if (b == '\n')
            {
                return sb.ToString();
            }

            if (sb.Length > 256)
            {
                throw Fail(_stream.Position, "GLOBAL name too long");
            }

            sb.Append((char)b);
        }
    }

    private object ReadLong(int length)
    {
        byte[] bytes = ReadBytes(length);
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
    }

    private NasException Fail(long offset, string message) => new($"{_source}: {message} (byte {offset})");
}
