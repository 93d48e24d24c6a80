#!/usr/bin/env python3
"""ESPNet and ESPNet-C (sacmehta/ESPNet test/Model.py, commit afe71c3): state-dict keys, shapes, parameter count,
conv MACs, and a strict comparison with the official .pth files (read with pth_keys.py, no torch).

usage: python3 espnet_spec.py [--p 2] [--q 8] [--classes 20] [--input 512x1024]
                              [--check-dir ../shared/pretrained/espnet] [--keys espnet|espnet-c] [--layers ...]
The official files predate PyTorch 0.4.1, so they hold no `num_batches_tracked` buffers; the comparison reports
that difference separately from real mismatches and exits 1 only on the latter.
"""
import argparse
import os
import sys

from specnet import Spec

BN = dict(eps=1e-3, momentum=0.1)  # nn.BatchNorm2d(n, eps=1e-03), default momentum


def cbr(spec, p, x, cout, k, s=1):
    x = spec.conv(f"{p}.conv", x, cout, k, s, (k - 1) // 2)
    spec.bn(f"{p}.bn", x, **BN)
    return spec.prelu(f"{p}.act", x)


def br(spec, p, x):
    spec.bn(f"{p}.bn", x, **BN)
    return spec.prelu(f"{p}.act", x)


def esp_branches(spec, p, y, nout):
    n = int(nout / 5)
    n1 = nout - 4 * n
    d1 = spec.conv(f"{p}.d1.conv", y, n1, 3, 1, 1, 1)
    for d in (2, 4, 8, 16):
        spec.conv(f"{p}.d{d}.conv", y, n, 3, 1, d, d)
    out = (nout,) + d1[1:]
    spec.note(p, f"cat[d1, d2, d2+d4, d2+d4+d8, d2+d4+d8+d16] = {n1}+{n}+{n}+{n}+{n}", out)
    return out


def downsampler_b(spec, p, x, nout):
    n = int(nout / 5)
    y = spec.conv(f"{p}.c1.conv", x, n, 3, 2, 1)
    out = esp_branches(spec, p, y, nout)
    spec.bn(f"{p}.bn", out, **BN)
    return spec.prelu(f"{p}.act", out)


def dprb(spec, p, x, nout, add=True):
    n = int(nout / 5)
    y = spec.conv(f"{p}.c1.conv", x, n, 1, 1, 0)
    out = esp_branches(spec, p, y, nout)
    if add:
        spec.note(p, "residual: input + cat", out)
    return br(spec, f"{p}.bn", out)


def avgpool(x):
    c, h, w = x
    return (c, (h + 2 - 3) // 2 + 1, (w + 2 - 3) // 2 + 1)


def encoder(spec, pre, x, classes, p, q):
    output0 = cbr(spec, f"{pre}level1", x, 16, 3, 2)
    inp1 = spec.note(f"{pre}sample1", "AvgPool2d(3, stride 2, padding 1, count_include_pad=True) x1", avgpool(x))
    inp2 = spec.note(f"{pre}sample2", "AvgPool2d(3, stride 2, padding 1, count_include_pad=True) x2",
                     avgpool(avgpool(x)))
    if output0[1:] != inp1[1:]:
        raise ValueError(f"level1 {output0} vs sample1 {inp1}")
    cat0 = spec.note(f"{pre}(cat)", "cat[output0, inp1]", (19,) + output0[1:])
    output0_cat = br(spec, f"{pre}b1", cat0)
    output1_0 = downsampler_b(spec, f"{pre}level2_0", output0_cat, 64)
    y = output1_0
    for i in range(p):
        y = dprb(spec, f"{pre}level2.{i}", y, 64)
    if y[1:] != inp2[1:]:
        raise ValueError(f"level2 {y} vs sample2 {inp2}")
    cat1 = spec.note(f"{pre}(cat)", "cat[output1, output1_0, inp2]", (128 + 3,) + y[1:])
    output1_cat = br(spec, f"{pre}b2", cat1)
    output2_0 = downsampler_b(spec, f"{pre}level3_0", output1_cat, 128)
    y = output2_0
    for i in range(q):
        y = dprb(spec, f"{pre}level3.{i}", y, 128)
    cat2 = spec.note(f"{pre}(cat)", "cat[output2_0, output2]", (256,) + y[1:])
    output2_cat = br(spec, f"{pre}b3", cat2)
    logits = spec.conv(f"{pre}classifier.conv", output2_cat, classes, 1)
    return output0, output1_cat, logits


def espnet_c(classes=20, p=2, q=8, hw=(512, 1024)):
    spec = Spec(f"espnet-c p={p} q={q}")
    _, _, logits = encoder(spec, "", (3,) + hw, classes, p, q)
    spec.note("(upsample)", "official test: nn.Upsample(scale_factor=8, bilinear) - PyTorch 0.3 semantics "
                            "= align_corners=True", (classes, logits[1] * 8, logits[2] * 8))
    return spec


def espnet(classes=20, p=2, q=8, hw=(512, 1024)):
    spec = Spec(f"espnet p={p} q={q}")
    output0, output1_cat, enc_logits = encoder(spec, "encoder.", (3,) + hw, classes, p, q)
    # decoder modules in __init__ order: level3_C, br, conv, up_l3, combine_l2_l3, up_l2, classifier
    output1_C = spec.conv("level3_C.conv", output1_cat, classes, 1)
    spec.bn("br", enc_logits, **BN)
    # conv = CBR(16 + classes, classes, 3, 1): registered here, used after the concatenation below
    conv_in = (16 + classes,) + output0[1:]
    concat_features = cbr(spec, "conv", conv_in, classes, 3, 1)
    output2_c = spec.deconv("up_l3.0", enc_logits, classes, 2, 2, 0, 0)
    if output2_c != output1_C:
        raise ValueError(f"up_l3 {output2_c} vs level3_C {output1_C}")
    cat = (2 * classes,) + output1_C[1:]
    spec.note("(cat)", "cat[output1_C, output2_c]", cat)
    br(spec, "combine_l2_l3.0", cat)
    comb = dprb(spec, "combine_l2_l3.1", cat, classes, add=False)
    up = spec.deconv("up_l2.0", comb, classes, 2, 2, 0, 0)
    br(spec, "up_l2.1", up)
    if up[1:] != output0[1:]:
        raise ValueError(f"up_l2 {up} vs level1 {output0}")
    spec.note("(cat)", "cat[comb_l2_l3, output0] -> conv (CBR above)", conv_in)
    out = spec.deconv("classifier", concat_features, classes, 2, 2, 0, 0)
    if out[1:] != hw:
        raise ValueError(f"output {out} differs from the input size {hw}")
    return spec


def compare(spec, path):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import pth_keys
    _, _, obj, _, _ = pth_keys.load(path)
    file_keys = [(k, t.size) for k, t in obj.items()]
    want = [(k, s) for k, s, _ in spec.entries if not k.endswith("num_batches_tracked")]
    nbt = [k for k, _, _ in spec.entries if k.endswith("num_batches_tracked")]
    mism = []
    if [k for k, _ in file_keys] != [k for k, _ in want]:
        fk = {k for k, _ in file_keys}
        wk = {k for k, _ in want}
        mism += [f"missing in file: {k}" for k in sorted(wk - fk)] + [f"unexpected in file: {k}" for k in sorted(fk - wk)]
        if not mism:
            mism.append("same names, different order")
    fs = dict(file_keys)
    for k, s in want:
        if k in fs and tuple(fs[k]) != tuple(s):
            mism.append(f"{k}: file {list(fs[k])} vs spec {list(s)}")
    print(f"{path}: {len(file_keys)} tensors; spec has {len(want)} + {len(nbt)} num_batches_tracked "
          f"(absent from the file: saved by PyTorch < 0.4.1); {len(mism)} mismatches")
    for m in mism:
        print("   ", m)
    return len(mism)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--p", type=int, default=2)
    ap.add_argument("--q", type=int, default=8)
    ap.add_argument("--classes", type=int, default=20)
    ap.add_argument("--input", default="512x1024")
    ap.add_argument("--check-dir")
    ap.add_argument("--keys")
    ap.add_argument("--layers")
    a = ap.parse_args()
    hw = tuple(int(v) for v in a.input.lower().split("x"))
    build = {"espnet": espnet, "espnet-c": espnet_c}
    if a.keys:
        print(build[a.keys](a.classes, a.p, a.q, hw).key_table())
        return
    if a.layers:
        print(build[a.layers](a.classes, a.p, a.q, hw).layer_table())
        return
    bad = 0
    for name in ("espnet-c", "espnet"):
        s = build[name](a.classes, a.p, a.q, hw)
        print(s.summary(None, hw))
        if a.check_dir:
            f = os.path.join(a.check_dir, f"espnet_c_p_{a.p}_q_{a.q}.pth" if name == "espnet-c"
                             else f"espnet_p_{a.p}_q_{a.q}.pth")
            bad += compare(s, f)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
