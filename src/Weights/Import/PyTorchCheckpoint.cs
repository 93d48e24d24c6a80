using Nas.Core;

namespace Nas.Weights.Import;

/// <summary>
/// Reads the state dict of a PyTorch checkpoint (<c>.pth</c>/<c>.pt</c> written by <c>torch.save</c>) without PyTorch
/// and without executing pickled code. Both container formats are detected from the first bytes: zip (torch ≥ 1.6,
/// <c>PK\x03\x04</c>) and legacy (a pickle stream starting with PyTorch's magic number). The pickles are read by
/// <see cref="SafeUnpickler"/>, which accepts only the globals on <see cref="TorchGlobals"/>' allow-list.
/// </summary>
/// <remarks>
/// The state dict is the saved object itself when it is a dict, unless that dict holds a dict under
/// <c>state_dict</c>, <c>model_state_dict</c> or <c>model</c> (training checkpoints such as
/// <c>{'epoch': 3, 'state_dict': ...}</c>), which is taken instead, in that order of preference. Every other entry of
/// such a checkpoint must still pass the allow-list. Names are kept as saved (a DataParallel <c>module.</c> prefix
/// included). Every problem is a <see cref="NasException"/> naming the file.
/// </remarks>
public static class PyTorchCheckpoint
{
    private static readonly string[] s_containerKeys = ["state_dict", "model_state_dict", "model"];

    /// <summary>The tensors of the checkpoint's state dict, in file order.</summary>
    public static PyTorchStateDict Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new NasException($"file not found: '{path}'");
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            PyTorchCheckpointFormat format = DetectFormat(stream, path);
            using CheckpointContainer container = format == PyTorchCheckpointFormat.Zip
                ? ZipCheckpoint.Open(stream, path)
                : LegacyCheckpoint.Open(stream, path);
            return Assemble(container, format);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NasException($"{path}: cannot read the file ({e.Message})", e);
        }
    }

    private static PyTorchCheckpointFormat DetectFormat(Stream stream, string path)
    {
        byte[] head = new byte[4];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read == 0)
        {
            throw new NasException($"{path}: the file is empty, not a PyTorch checkpoint");
        }

        return read == 4 && head is [(byte)'P', (byte)'K', 3, 4] ? PyTorchCheckpointFormat.Zip : PyTorchCheckpointFormat.Legacy;
    }

    private static PyTorchStateDict Assemble(CheckpointContainer container, PyTorchCheckpointFormat format)
    {
        string path = container.Path;
        (PickleDict dict, string? containerKey) = SelectStateDict(container.Root, path);
        var entries = new List<(string Name, PickleTensor Tensor)>();
        var ignored = new List<string>();
        foreach (KeyValuePair<object?, object?> kv in dict.Items)
        {
            if (kv.Key is not string name)
            {
                throw new NasException($"{path}: the state dict has a key that is not a string ({kv.Key ?? "None"})");
            }

            if (kv.Value is PickleTensor tensor)
            {
                entries.Add((name, tensor));
            }
            else
            {
                ignored.Add(name);
            }
        }

        if (entries.Count == 0)
        {
            throw new NasException($"{path}: the state dict{(containerKey is null ? string.Empty : $" under '{containerKey}'")} holds no tensors");
        }

        PickleStorage[] needed = entries.Select(e => e.Tensor.Storage.Storage).Distinct().ToArray();
        IReadOnlyDictionary<string, byte[]> bytes = container.ReadStorages(needed);
        var storages = needed.ToDictionary(
            s => s.Key,
            s => new TorchStorage(s.Key, s.DType, s.Numel, s.Location, bytes[s.Key]),
            StringComparer.Ordinal);
        RawTensor[] tensors = entries.Select(e => Materialise(e.Name, e.Tensor, storages[e.Tensor.Storage.Storage.Key], path)).ToArray();
        return new PyTorchStateDict(path, format, containerKey, tensors, ignored);
    }

    private static (PickleDict Dict, string? Key) SelectStateDict(object? root, string path)
    {
        if (root is not PickleDict top)
        {
            string what = root switch
            {
                PickleTensor => "a single tensor",
                List<object?> => "a list",
                object?[] => "a tuple",
                null => "None",
                _ => "a " + root.GetType().Name,
            };
            throw new NasException($"{path}: the checkpoint holds {what}, not a state dict (a dict of tensors)");
        }

        foreach (string key in s_containerKeys)
        {
            if (top.TryGetValue(key, out object? inner) && inner is PickleDict nested)
            {
                return (nested, key);
            }
        }

        return (top, null);
    }

    /// <summary>Checks the view against its storage (so reading it can never go out of bounds) and wraps it.</summary>
    private static RawTensor Materialise(string name, PickleTensor t, TorchStorage storage, string path)
    {
        string Where() => $"{path}: tensor '{name}' (size [{string.Join(", ", t.Shape)}], stride [{string.Join(", ", t.Stride)}], offset {t.Offset})";
        if (t.Shape.Length != t.Stride.Length)
        {
            throw new NasException($"{Where()} does not have one stride per dimension");
        }

        if (t.Offset < 0 || t.Shape.Any(d => d < 0) || t.Stride.Any(s => s < 0))
        {
            throw new NasException($"{Where()} has a negative size, stride or offset");
        }

        int elementSize = t.DType.ElementSize();
        long viewStart = t.Storage.Offset * storage.DType.ElementSize();
        long viewBytes = t.Storage.Numel * storage.DType.ElementSize();
        if (viewStart % elementSize != 0)
        {
            throw new NasException($"{Where()} starts inside an element of its storage");
        }

        try
        {
            long numel = t.Shape.Aggregate(1L, (a, b) => checked(a * b));
            if (numel > Array.MaxLength)
            {
                throw new NasException($"{Where()} has too many elements ({numel})");
            }

            if (numel > 0)
            {
                long last = t.Offset;
                for (int d = 0; d < t.Shape.Length; d++)
                {
                    last = checked(last + ((t.Shape[d] - 1) * t.Stride[d]));
                }

                if (checked((last + 1) * elementSize) > viewBytes)
                {
                    throw new NasException($"{Where()} reaches past the end of its storage '{storage.Key}' ({viewBytes / elementSize} x {t.DType.TorchName()}); the file is corrupt");
                }
            }
        }
        catch (OverflowException)
        {
            throw new NasException($"{Where()} is out of range; the file is corrupt");
        }

        return new RawTensor(name, t.DType, t.Shape, t.Stride, (viewStart / elementSize) + t.Offset, storage, t.RequiresGrad, t.Negative);
    }
}
