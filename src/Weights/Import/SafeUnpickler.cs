using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Nas.Core;

namespace Nas.Weights.Import;

/// <summary>
/// A pickle reader that executes nothing. It implements the binary opcodes of pickle protocols 2–5 that
/// <c>torch.save</c> emits (plus the protocol-1 string and container opcodes Python 2 used) and interprets, instead
/// of calling, the few globals on the allow-list in <see cref="TorchGlobals"/>. Any other global, any opcode that would
/// call or import something else (INST, OBJ, EXT*, PERSID, out-of-band buffers, ...) and any malformed or truncated
/// stream is a <see cref="NasException"/> naming the source and the byte offset.
/// </summary>
/// <remarks>
/// Values: None → null, bool, int → <see cref="long"/> (or <see cref="BigInteger"/> when wider), float → double,
/// str → string, bytes → byte[], tuple → object?[], list → List&lt;object?&gt;, dict/OrderedDict → <see cref="PickleDict"/>,
/// allowed global → <see cref="PickleGlobal"/>, storage persistent id → <see cref="PickleStorageView"/>, tensor →
/// <see cref="PickleTensor"/>. Memory use is bounded by the input: every length is checked against the bytes left
/// before anything is allocated, and nothing recurses over the values.
/// </remarks>
internal sealed class SafeUnpickler
{
    private const int HighestProtocol = 5;
    private const int MaxGlobalNameLength = 1024;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private readonly string _source;
    private readonly long _baseOffset;
    private readonly StorageTable? _storages;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];

    /// <param name="stream">Read from its current position up to one STOP opcode.</param>
    /// <param name="source">Named in every error (the file, or the file and the archive member).</param>
    /// <param name="storages">Receives the storages named by persistent ids; null refuses persistent ids.</param>
    /// <param name="baseOffset">Added to stream positions in error messages.</param>
    public SafeUnpickler(Stream stream, string source, StorageTable? storages, long baseOffset = 0)
    {
        _stream = stream;
        _source = source;
        _storages = storages;
        _baseOffset = baseOffset;
    }

    /// <summary>Reads one pickle (up to and including STOP) and returns its value.</summary>
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
                    {
                        int protocol = ReadByte();
                        if (protocol > HighestProtocol)
                        {
                            throw Fail(offset, $"unsupported pickle protocol {protocol}");
                        }

                        break;
                    }

                case 0x95: // FRAME (protocol 4): a length prefix only; the opcodes follow inline.
                    {
                        ulong frame = BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));
                        if (frame > (ulong)(_stream.Length - _stream.Position))
                        {
                            throw Fail(offset, "pickle frame runs past the end of the file (the file is truncated)");
                        }

                        break;
                    }

                case '.': // STOP
                    {
                        if (_marks.Count > 0 || _stack.Count != 1)
                        {
                            throw Fail(offset, $"malformed pickle: {_stack.Count} values and {_marks.Count} open marks at STOP");
                        }

                        return _stack[0];
                    }

                case '(': // MARK
                    _marks.Push(_stack.Count);
                    break;
                case '0': // POP (pops the mark when the current frame is empty, as CPython does)
                    if (_stack.Count > CurrentMarkBase)
                    {
                        _stack.RemoveAt(_stack.Count - 1);
                    }
                    else
                    {
                        PopMark(offset);
                    }

                    break;
                case '1': // POP_MARK
                    PopMark(offset);
                    break;
                case '2': // DUP
                    Push(Peek(offset));
                    break;
                case 'N': // NONE
                    Push(null);
                    break;
                case 0x88: // NEWTRUE
                    Push(true);
                    break;
                case 0x89: // NEWFALSE
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
                    Push(ReadLong(ReadLength(4, offset)));
                    break;
                case 'G': // BINFLOAT (big-endian IEEE double)
                    Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8)));
                    break;
                case 'X': // BINUNICODE
                    Push(ReadString(ReadLength(4, offset), offset));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    Push(ReadString(ReadByte(), offset));
                    break;
                case 0x8d: // BINUNICODE8
                    Push(ReadString(ReadLength(8, offset), offset));
                    break;
                case 'T': // BINSTRING (Python 2 str; torch.load decodes it as UTF-8)
                    Push(ReadString(ReadLength(4, offset), offset));
                    break;
                case 'U': // SHORT_BINSTRING
                    Push(ReadString(ReadByte(), offset));
                    break;
                case 'B': // BINBYTES
                    Push(ReadBytes(ReadLength(4, offset)));
                    break;
                case 'C': // SHORT_BINBYTES
                    Push(ReadBytes(ReadByte()));
                    break;
                case 0x8e: // BINBYTES8
                    Push(ReadBytes(ReadLength(8, offset)));
                    break;
                case ')': // EMPTY_TUPLE
                    Push(Array.Empty<object?>());
                    break;
                case 0x85: // TUPLE1
                    Push(new[] { Pop(offset) });
                    break;
                case 0x86: // TUPLE2
                    {
                        object? b = Pop(offset);
                        object? a = Pop(offset);
                        Push(new[] { a, b });
                        break;
                    }

                case 0x87: // TUPLE3
                    {
                        object? c = Pop(offset);
                        object? b = Pop(offset);
                        object? a = Pop(offset);
                        Push(new[] { a, b, c });
                        break;
                    }

                case 't': // TUPLE
                    Push(PopMark(offset).ToArray());
                    break;
                case ']': // EMPTY_LIST
                    Push(new List<object?>());
                    break;
                case 'l': // LIST
                    Push(PopMark(offset));
                    break;
                case '}': // EMPTY_DICT
                    Push(new PickleDict());
                    break;
                case 'd': // DICT
                    {
                        List<object?> items = PopMark(offset);
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
                        List<object?> items = PopMark(offset);
                        AsList(Peek(offset), offset).AddRange(items);
                        break;
                    }

                case 's': // SETITEM
                    {
                        object? value = Pop(offset);
                        object? key = Pop(offset);
                        SetItems(AsDict(Peek(offset), offset), [key, value], offset);
                        break;
                    }

                case 'u': // SETITEMS
                    {
                        List<object?> items = PopMark(offset);
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
                    {
                        string module = ReadLine(offset);
                        string name = ReadLine(offset);
                        Push(CheckGlobal(module, name, offset));
                        break;
                    }

                case 0x93: // STACK_GLOBAL
                    {
                        object? name = Pop(offset);
                        object? module = Pop(offset);
                        if (module is not string m || name is not string n)
                        {
                            throw Fail(offset, "STACK_GLOBAL without module and name strings");
                        }

                        Push(CheckGlobal(m, n, offset));
                        break;
                    }

                case 'R': // REDUCE
                    {
                        object? args = Pop(offset);
                        object? callable = Pop(offset);
                        Push(Call(callable, args as object?[] ?? throw Fail(offset, "REDUCE arguments are not a tuple"), offset));
                        break;
                    }

                case 0x81: // NEWOBJ: cls.__new__(cls, *args); only OrderedDict is a class here
                    {
                        object? args = Pop(offset);
                        object? cls = Pop(offset);
                        if (cls is not PickleGlobal { FullName: TorchGlobals.OrderedDict } || args is not object?[])
                        {
                            throw Fail(offset, $"NEWOBJ of '{Describe(cls)}' is not allowed in a weights file");
                        }

                        Push(new PickleDict());
                        break;
                    }

                case 'b': // BUILD: only an OrderedDict's attribute dict (a state dict's _metadata) occurs; it is kept, not applied
                    {
                        object? state = Pop(offset);
                        if (Peek(offset) is not PickleDict target)
                        {
                            throw Fail(offset, $"BUILD on '{Describe(Peek(offset))}' is not allowed in a weights file");
                        }

                        target.Attributes = state;
                        break;
                    }

                case 'Q': // BINPERSID
                    Push(PersistentLoad(Pop(offset), offset));
                    break;
                default:
                    throw Fail(offset, $"opcode {OpcodeName(op)} is not allowed in a PyTorch weights file");
            }
        }
    }

    private int CurrentMarkBase => _marks.Count > 0 ? _marks.Peek() : 0;

    private PickleGlobal CheckGlobal(string module, string name, long offset)
    {
        var global = new PickleGlobal(module, name);
        if (!TorchGlobals.IsAllowed(global.FullName))
        {
            throw Fail(offset, $"refusing to load global '{global.FullName}': a weights file may only name tensors, storages and dicts (a pickle that names other globals can run arbitrary code; for a whole pickled model, save model.state_dict() instead)");
        }

        return global;
    }

    private object Call(object? callable, object?[] args, long offset)
    {
        if (callable is not PickleGlobal global || !TorchGlobals.Callables.Contains(global.FullName))
        {
            throw Fail(offset, $"'{Describe(callable)}' cannot be called in a weights file");
        }

        switch (global.FullName)
        {
            case TorchGlobals.OrderedDict:
                return BuildOrderedDict(args, offset);
            case TorchGlobals.RebuildTensor:
            case TorchGlobals.RebuildTensorV2:
            case TorchGlobals.RebuildTensorV3:
                return RebuildTensor(global, args, offset);
            default: // _rebuild_parameter(data, requires_grad, hooks[, state]): a Parameter is its tensor here
                int arity = global.FullName == TorchGlobals.RebuildParameter ? 3 : 4;
                if (args.Length != arity || args[0] is not PickleTensor tensor || args[1] is not bool requiresGrad)
                {
                    throw Fail(offset, $"{global.FullName} with unexpected arguments");
                }

                return tensor with { RequiresGrad = requiresGrad };
        }
    }

    private PickleDict BuildOrderedDict(object?[] args, long offset)
    {
        var dict = new PickleDict();
        if (args.Length == 0)
        {
            return dict;
        }

        if (args.Length != 1 || args[0] is not List<object?> pairs)
        {
            throw Fail(offset, "collections.OrderedDict with unexpected arguments");
        }

        foreach (object? pair in pairs)
        {
            if (pair is not object?[] { Length: 2 } kv || !dict.TrySet(kv[0], kv[1]))
            {
                throw Fail(offset, "collections.OrderedDict with an item that is not a (key, value) pair");
            }
        }

        return dict;
    }

    /// <summary>
    /// _rebuild_tensor(storage, offset, size, stride), _rebuild_tensor_v2(..., requires_grad, backward_hooks[, metadata])
    /// and _rebuild_tensor_v3(..., requires_grad, backward_hooks, dtype[, metadata]).
    /// </summary>
    private PickleTensor RebuildTensor(PickleGlobal global, object?[] args, long offset)
    {
        (int min, int max) = global.FullName switch
        {
            TorchGlobals.RebuildTensor => (4, 4),
            TorchGlobals.RebuildTensorV2 => (6, 7),
            _ => (7, 8),
        };
        if (args.Length < min || args.Length > max)
        {
            throw Fail(offset, $"{global.FullName} with {args.Length} arguments");
        }

        if (args[0] is not PickleStorageView storage)
        {
            throw Fail(offset, $"{global.FullName} whose storage is not a storage reference");
        }

        if (args[1] is not long storageOffset)
        {
            throw Fail(offset, $"{global.FullName} whose storage offset is not an integer");
        }

        long[] shape = Longs(args[2], "size", offset);
        long[] stride = Longs(args[3], "stride", offset);
        bool requiresGrad = false;
        object? metadata = null;
        TorchDType dtype = storage.Storage.DType;
        if (args.Length >= 6)
        {
            requiresGrad = args[4] as bool? ?? throw Fail(offset, $"{global.FullName} whose requires_grad is not a bool");
            if (args[5] is not PickleDict)
            {
                throw Fail(offset, $"{global.FullName} whose backward hooks are not an OrderedDict");
            }

            if (global.FullName == TorchGlobals.RebuildTensorV3)
            {
                if (args[6] is not PickleGlobal dtypeGlobal || !TorchGlobals.DTypes.TryGetValue(dtypeGlobal.FullName, out dtype))
                {
                    throw Fail(offset, $"{global.FullName} with an unsupported dtype '{Describe(args[6])}'");
                }

                metadata = args.Length > 7 ? args[7] : null;
            }
            else
            {
                metadata = args.Length > 6 ? args[6] : null;
            }
        }

        return new PickleTensor(storage, dtype, storageOffset, shape, stride, requiresGrad, Negative(metadata, offset));
    }

    /// <summary>Tensor metadata (torch ≥ 1.10): the lazy <c>conj</c> and <c>neg</c> bits. Conjugation is a no-op for real dtypes.</summary>
    private bool Negative(object? metadata, long offset)
    {
        if (metadata is null)
        {
            return false;
        }

        if (metadata is not PickleDict dict)
        {
            throw Fail(offset, "tensor metadata is not a dict");
        }

        bool negative = false;
        foreach (KeyValuePair<object?, object?> kv in dict.Items)
        {
            switch (kv.Key)
            {
                case "neg" when kv.Value is bool value:
                    negative = value;
                    break;
                case "conj" when kv.Value is bool:
                    break;
                default:
                    throw Fail(offset, $"unsupported tensor metadata '{Describe(kv.Key)}'");
            }
        }

        return negative;
    }

    /// <summary>A persistent id <c>('storage', storage_type, key, location, numel[, view_metadata])</c>.</summary>
    private PickleStorageView PersistentLoad(object? pid, long offset)
    {
        if (_storages is null)
        {
            throw Fail(offset, "unexpected persistent id in this pickle");
        }

        if (pid is not object?[] { Length: 5 or 6 } t || Text(t[0]) != "storage")
        {
            string what = pid is object?[] { Length: > 0 } other && Text(other[0]) is string tag ? $"'{tag}'" : Describe(pid);
            throw Fail(offset, $"persistent id {what} is not a PyTorch storage reference (a pickled module or custom object, not a state dict?)");
        }

        if (t[1] is not PickleGlobal type || !TorchGlobals.StorageTypes.TryGetValue(type.FullName, out TorchDType dtype))
        {
            throw Fail(offset, $"unsupported storage type '{Describe(t[1])}'");
        }

        if (Text(t[2]) is not string key || Text(t[3]) is not string location || t[4] is not long numel || numel < 0)
        {
            throw Fail(offset, "malformed storage reference (expected key, location and element count)");
        }

        PickleStorage storage = _storages.Register(new PickleStorage(key, dtype, numel, location), out string? conflict);
        if (conflict is not null)
        {
            throw Fail(offset, conflict);
        }

        if (t.Length == 6 && t[5] is not null)
        {
            // Storage views (torch < 0.4): (view_key, offset, size) in elements of the root storage.
            if (t[5] is not object?[] { Length: 3 } view || view[1] is not long viewOffset || view[2] is not long viewSize
                || viewOffset < 0 || viewSize < 0 || viewOffset > storage.Numel - viewSize)
            {
                throw Fail(offset, $"malformed view of storage '{key}'");
            }

            return new PickleStorageView(storage, viewOffset, viewSize);
        }

        return new PickleStorageView(storage, 0, storage.Numel);
    }

    private void SetItems(PickleDict dict, List<object?> items, long offset)
    {
        if (items.Count % 2 != 0)
        {
            throw Fail(offset, "odd number of items for a dict");
        }

        for (int i = 0; i < items.Count; i += 2)
        {
            if (!dict.TrySet(items[i], items[i + 1]))
            {
                throw Fail(offset, $"unhashable dict key ({Describe(items[i])})");
            }
        }
    }

    private long[] Longs(object? value, string what, long offset)
    {
        if (value is not object?[] items)
        {
            throw Fail(offset, $"tensor {what} is not a tuple");
        }

        var result = new long[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            result[i] = items[i] as long? ?? throw Fail(offset, $"tensor {what} is not a tuple of integers");
        }

        return result;
    }

    private List<object?> AsList(object? value, long offset) =>
        value as List<object?> ?? throw Fail(offset, $"APPEND to '{Describe(value)}', which is not a list");

    private PickleDict AsDict(object? value, long offset) =>
        value as PickleDict ?? throw Fail(offset, $"SETITEM on '{Describe(value)}', which is not a dict");

    private object? Memo(long key, long offset) =>
        _memo.TryGetValue(key, out object? value) ? value : throw Fail(offset, $"memo entry {key} was never stored");

    private void Push(object? value) => _stack.Add(value);

    private object? Peek(long offset) =>
        _stack.Count > CurrentMarkBase ? _stack[^1] : throw Fail(offset, "stack underflow (malformed pickle)");

    private object? Pop(long offset)
    {
        object? value = Peek(offset);
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private List<object?> PopMark(long offset)
    {
        if (_marks.Count == 0)
        {
            throw Fail(offset, "no MARK to pop to (malformed pickle)");
        }

        int mark = _marks.Pop();
        List<object?> items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private int ReadByte()
    {
        int b = _stream.ReadByte();
        return b >= 0 ? b : throw Fail(_stream.Position, "unexpected end of file inside a pickle (the file is truncated)");
    }

    /// <summary>Reads a little-endian length of 4 or 8 bytes and checks it against the bytes left.</summary>
    private int ReadLength(int width, long offset)
    {
        ReadOnlySpan<byte> bytes = ReadBytes(width);
        ulong length = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (length > (ulong)(_stream.Length - _stream.Position))
        {
            throw Fail(offset, $"a length of {length} bytes runs past the end of the file (the file is truncated)");
        }

        return length <= (ulong)Array.MaxLength ? (int)length : throw Fail(offset, $"a length of {length} bytes is too large");
    }

    private byte[] ReadBytes(int count)
    {
        if (count > _stream.Length - _stream.Position)
        {
            throw Fail(_stream.Position, "unexpected end of file inside a pickle (the file is truncated)");
        }

        byte[] buffer = new byte[count];
        _stream.ReadExactly(buffer);
        return buffer;
    }

    private string ReadString(int count, long offset)
    {
        try
        {
            return s_strictUtf8.GetString(ReadBytes(count));
        }
        catch (DecoderFallbackException)
        {
            throw Fail(offset, "string is not valid UTF-8");
        }
    }

    private string ReadLine(long offset)
    {
        var bytes = new List<byte>();
        while (true)
        {
            int b = ReadByte();
            if (b == '\n')
            {
                try
                {
                    return s_strictUtf8.GetString(bytes.ToArray());
                }
                catch (DecoderFallbackException)
                {
                    throw Fail(offset, "global name is not valid UTF-8");
                }
            }

            if (bytes.Count >= MaxGlobalNameLength)
            {
                throw Fail(offset, "global name is too long");
            }

            bytes.Add((byte)b);
        }
    }

    private object ReadLong(int length)
    {
        var value = new BigInteger(ReadBytes(length), isUnsigned: false, isBigEndian: false);
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            return (long)value; // not a conditional expression: that would convert the long back to BigInteger
        }

        return value;
    }

    /// <summary>A Python 2 pickle read with encoding='bytes' may hold byte strings where torch expects text.</summary>
    private static string? Text(object? value) => value switch
    {
        string s => s,
        byte[] b when b.All(c => c < 0x80) => Encoding.ASCII.GetString(b),
        _ => null,
    };

    private static string Describe(object? value) => value switch
    {
        null => "None",
        PickleGlobal g => g.FullName,
        string s => s.Length <= 40 ? $"'{s}'" : $"'{s[..40]}...'",
        long or BigInteger or double or bool => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
        object?[] => "a tuple",
        List<object?> => "a list",
        PickleDict => "a dict",
        PickleTensor => "a tensor",
        PickleStorageView => "a storage",
        byte[] => "bytes",
        _ => value.GetType().Name,
    };

    private static string OpcodeName(int op) => op switch
    {
        'i' => "INST ('i')",
        'o' => "OBJ ('o')",
        'P' => "PERSID ('P')",
        0x82 or 0x83 or 0x84 => $"EXT (0x{op:x2})",
        0x92 => "NEWOBJ_EX (0x92)",
        0x8f => "EMPTY_SET (0x8f)",
        0x90 => "ADDITEMS (0x90)",
        0x91 => "FROZENSET (0x91)",
        0x96 => "BYTEARRAY8 (0x96)",
        0x97 => "NEXT_BUFFER (0x97)",
        0x98 => "READONLY_BUFFER (0x98)",
        >= 0x20 and < 0x7f => $"0x{op:x2} ('{(char)op}')",
        _ => $"0x{op:x2}",
    };

    private NasException Fail(long offset, string message) => new($"{_source}: {message} (at byte {_baseOffset + offset})");
}
