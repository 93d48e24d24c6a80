#!/usr/bin/env python3
"""List the layers and parameter blobs (shapes) stored in a binary .caffemodel, without Caffe or protobuf:
a minimal reader of the protobuf wire format for NetParameter.layer (field 100, LayerParameter: name 1, type 2,
blobs 7) and the legacy NetParameter.layers (field 2, V1LayerParameter: name 4, type 5, blobs 6);
BlobProto: shape 7 (BlobShape.dim 1, packed or not), legacy num/channels/height/width 1-4, data 5 (packed
float), double_data 8.

usage: python3 caffemodel.py FILE.caffemodel [--values]
"""
import struct
import sys


def varint(buf, i):
    shift = 0
    result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def fields(buf):
    i = 0
    n = len(buf)
    while i < n:
        key, i = varint(buf, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(buf, i)
        elif wt == 1:
            v = buf[i:i + 8]
            i += 8
        elif wt == 2:
            ln, i = varint(buf, i)
            v = buf[i:i + ln]
            i += ln
        elif wt == 5:
            v = buf[i:i + 4]
            i += 4
        else:
            raise ValueError(f"wire type {wt} at {i}")
        yield num, wt, v


def packed_varints(v):
    out = []
    i = 0
    while i < len(v):
        x, i = varint(v, i)
        out.append(x)
    return out


def blob(buf):
    dims = []
    legacy = {}
    count = 0
    data = None
    for num, wt, v in fields(buf):
        if num == 7:
            for n2, w2, v2 in fields(v):
                if n2 == 1:
                    dims.extend(packed_varints(v2) if w2 == 2 else [v2])
        elif num in (1, 2, 3, 4) and wt == 0:
            legacy[num] = v
        elif num == 5:
            if wt == 2:
                count += len(v) // 4
                data = v
            else:
                count += 1
        elif num == 8 and wt == 2:
            count += len(v) // 8
    if not dims and legacy:
        dims = [legacy.get(k, 1) for k in (1, 2, 3, 4)]
    return dims, count, data


def layers(buf):
    for num, wt, v in fields(buf):
        if num in (100, 2) and wt == 2:
            name, typ, blobs = "", "", []
            name_f, type_f, blob_f = (1, 2, 7) if num == 100 else (4, 5, 6)
            for n2, w2, v2 in fields(v):
                if n2 == name_f and w2 == 2:
                    name = v2.decode()
                elif n2 == type_f:
                    typ = v2.decode() if w2 == 2 else f"V1:{v2}"
                elif n2 == blob_f and w2 == 2:
                    blobs.append(blob(v2))
            yield name, typ, blobs


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    with open(sys.argv[1], "rb") as f:
        buf = f.read()
    show = "--values" in sys.argv[2:]
    total = 0
    nblobs = 0
    for name, typ, blobs in layers(buf):
        if not blobs:
            continue
        parts = []
        for dims, count, data in blobs:
            nblobs += 1
            total += count
            s = "x".join(str(d) for d in dims) + (f"({count})" if count != _prod(dims) else "")
            if show and data:
                vals = struct.unpack(f"<{len(data) // 4}f", data)
                s += f"[min {min(vals):.4g} max {max(vals):.4g}]"
            parts.append(s)
        print(f"{name}\t{typ}\t" + "  ".join(parts))
    print(f"# {nblobs} blobs, {total} values")


def _prod(dims):
    p = 1
    for d in dims:
        p *= d
    return p


if __name__ == "__main__":
    main()
