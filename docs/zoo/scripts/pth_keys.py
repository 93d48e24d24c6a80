#!/usr/bin/env python3
"""List the tensors of a legacy (pre-1.6, non-zip) PyTorch .pth file without torch and without running
pickled code.

Legacy layout (torch/serialization.py `_legacy_save`): five pickles/blocks in a row
  1. magic number (int), 2. protocol version (int), 3. sys_info dict,
  4. the object (here an OrderedDict name -> tensor); every storage is a persistent id
     ('storage', StorageClass, key, location, numel[, view_metadata]),
  5. the list of storage keys, then for each key in that order: int64 numel (little endian) + raw bytes.
Only a fixed allow-list of globals is resolved (collections.OrderedDict, torch.*Storage, torch._utils._rebuild_tensor[_v2]);
anything else raises. Prints one line per tensor: name, dtype, shape, numel, and a checksum-free summary.

usage: python3 pth_keys.py FILE.pth [--values]   (--values also prints min/max/mean from the raw bytes)
"""
import io
import pickle
import struct
import sys
from collections import OrderedDict

MAGIC = 0x1950A86A20F9469CFC6C

STORAGE_TYPES = {  # class name -> (dtype name, element size, struct code)
    "FloatStorage": ("float32", 4, "f"),
    "DoubleStorage": ("float64", 8, "d"),
    "HalfStorage": ("float16", 2, "e"),
    "LongStorage": ("int64", 8, "q"),
    "IntStorage": ("int32", 4, "i"),
    "ShortStorage": ("int16", 2, "h"),
    "CharStorage": ("int8", 1, "b"),
    "ByteStorage": ("uint8", 1, "B"),
    "BoolStorage": ("bool", 1, "?"),
}


class StorageType:
    def __init__(self, name):
        self.name = name
        self.dtype, self.itemsize, self.code = STORAGE_TYPES[name]


class Storage:
    def __init__(self, stype, key, location, numel):
        self.stype, self.key, self.location, self.numel = stype, key, location, numel
        self.data = None


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)

    @property
    def numel(self):
        n = 1
        for s in self.size:
            n *= s
        return n


def rebuild_tensor(storage, storage_offset, size, stride, *unused):
    return Tensor(storage, storage_offset, size, stride)


class RestrictedUnpickler(pickle.Unpickler):
    def __init__(self, f, storages):
        super().__init__(f, encoding="latin1")
        self.storages = storages

    def find_class(self, module, name):
        if module == "collections" and name == "OrderedDict":
            return OrderedDict
        if module == "torch._utils" and name in ("_rebuild_tensor", "_rebuild_tensor_v2"):
            return rebuild_tensor
        if module == "torch" and name in STORAGE_TYPES:
            return StorageType(name)
        raise pickle.UnpicklingError(f"global {module}.{name} is not on the allow-list")

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        _, stype, key, location, numel = pid[:5]
        if len(pid) > 5 and pid[5] is not None:
            raise pickle.UnpicklingError("storage views are not supported")
        if key not in self.storages:
            self.storages[key] = Storage(stype, key, location, numel)
        return self.storages[key]


class PlainUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"global {module}.{name} in a header pickle")


def load(path):
    with open(path, "rb") as fh:
        raw = fh.read()
    if raw[:2] == b"PK":
        raise SystemExit(f"{path}: zip-format checkpoint, not a legacy pickle")
    f = io.BytesIO(raw)
    magic = PlainUnpickler(f).load()
    if magic != MAGIC:
        raise SystemExit(f"{path}: bad magic number {magic!r}")
    protocol = PlainUnpickler(f).load()
    sys_info = PlainUnpickler(f).load()
    storages = {}
    obj = RestrictedUnpickler(f, storages).load()
    keys = PlainUnpickler(f).load()
    for key in keys:
        (numel,) = struct.unpack("<q", f.read(8))
        st = storages[key]
        if numel != st.numel:
            raise SystemExit(f"{path}: storage {key}: header says {numel}, pickle said {st.numel}")
        st.data = f.read(numel * st.stype.itemsize)
    rest = len(raw) - f.tell()
    return protocol, sys_info, obj, storages, rest


def values(t):
    st = t.storage
    n = t.numel
    if n == 0:
        return []
    # contiguous check
    expected, acc = [], 1
    for s in reversed(t.size):
        expected.insert(0, acc)
        acc *= s
    if tuple(expected) != t.stride and n > 1:
        raise SystemExit("non-contiguous tensor")
    isz = st.stype.itemsize
    return struct.unpack(f"<{n}{st.stype.code}", st.data[t.offset * isz:(t.offset + n) * isz])


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    path = sys.argv[1]
    show_values = "--values" in sys.argv[2:]
    protocol, sys_info, obj, storages, rest = load(path)
    print(f"# {path}")
    print(f"# protocol {protocol}, sys_info {sys_info}, trailing bytes {rest}")
    if not isinstance(obj, dict):
        raise SystemExit(f"top-level object is {type(obj).__name__}, not a state dict")
    meta = getattr(obj, "_metadata", None)
    print(f"# {len(obj)} entries, _metadata present: {meta is not None}")
    total = 0
    for name, t in obj.items():
        if not isinstance(t, Tensor):
            print(f"{name}\t<{type(t).__name__}>")
            continue
        total += t.numel
        line = f"{name}\t{t.storage.stype.dtype}\t{list(t.size)}\t{t.numel}"
        if show_values:
            v = values(t)
            if v:
                line += f"\tmin={min(v):.6g} max={max(v):.6g} mean={sum(v) / len(v):.6g}"
        print(line)
    print(f"# total elements {total}")


if __name__ == "__main__":
    main()
