#!/usr/bin/env python3
"""Reference outputs of the official ESPNet and ESPNet-C, computed without torch or numpy.

A line-by-line transliteration of the forward passes in sacmehta/ESPNet `test/Model.py` @ afe71c3 (CBR, BR, C,
CDilated, DownSamplerB, DilatedParllelResidualBlockB, InputProjectionA, ESPNet_Encoder, ESPNet) in plain Python
(float64), in inference mode (BatchNorm with the running statistics), reading the official .pth files with the
restricted unpickler of pth_keys.py. The input follows the official preprocessing (test/VisualizeResults.py):
an OpenCV (BGR) image, (x - mean) / std per channel on the 0-255 scale, then / 255 (the resize to 1024x512 is left
out: the image already has the size the network runs at).

The image is a deterministic 32x64 RGB pattern that Nas's test regenerates (tests/Supernet.Tests/Zoo/
EspnetReferenceTests.cs):  R = (7i + 3j) mod 256,  G = (ij + 11j) mod 256,  B = 255 - ((13i + j^2) mod 256)
for row i and column j.

usage: python3 espnet_reference.py WEIGHTS_DIR OUT_DIR
  WEIGHTS_DIR holds espnet_p_2_q_8.pth and espnet_c_p_2_q_8.pth (../shared/pretrained/espnet)
  writes OUT_DIR/espnet_p_2_q_8.logits.bin   (float32 little endian, 20x32x64, the ESPNet output)
         OUT_DIR/espnet_c_p_2_q_8.logits.bin (float32 little endian, 20x4x8, the ESPNet-C output at 1/8)
         OUT_DIR/reference.json              (shapes, value ranges, argmax histogram, the input definition)
"""
import json
import math
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pth_keys  # noqa: E402

H, W = 32, 64
MEAN = [72.3923111, 82.90893555, 73.15840149]  # B, G, R (VisualizeResults.py)
STD = [45.3192215, 46.15289307, 44.91483307]


class T:
    """A C x H x W feature map: one flat row-major list per channel."""

    def __init__(self, planes, h, w):
        self.planes, self.h, self.w = planes, h, w

    @property
    def c(self):
        return len(self.planes)


def cat(ts):
    assert all(t.h == ts[0].h and t.w == ts[0].w for t in ts)
    return T([p for t in ts for p in t.planes], ts[0].h, ts[0].w)


def add(a, b):
    assert (a.c, a.h, a.w) == (b.c, b.h, b.w)
    return T([[x + y for x, y in zip(p, q)] for p, q in zip(a.planes, b.planes)], a.h, a.w)


class Weights:
    def __init__(self, path):
        _, _, obj, _, _ = pth_keys.load(path)
        self.tensors = {k: (list(pth_keys.values(t)), t.size) for k, t in obj.items()}
        self.used = set()

    def __call__(self, key):
        self.used.add(key)
        return self.tensors[key]


def conv2d(x, w, shape, stride=1, pad=0, dil=1):
    """nn.Conv2d without bias: out[co] = sum_ci sum_ky,kx w[co,ci,ky,kx] * x[ci, oy*s - p + ky*d, ox*s - p + kx*d]."""
    cout, cin, kh, kw = shape
    assert cin == x.c, (cin, x.c)
    ho = (x.h + 2 * pad - dil * (kh - 1) - 1) // stride + 1
    wo = (x.w + 2 * pad - dil * (kw - 1) - 1) // stride + 1
    zero = x.h * x.w  # index of an appended 0.0: positions in the zero padding read it
    taps = []
    for ky in range(kh):
        for kx in range(kw):
            idx = []
            for oy in range(ho):
                iy = oy * stride - pad + ky * dil
                for ox in range(wo):
                    ix = ox * stride - pad + kx * dil
                    idx.append(iy * x.w + ix if 0 <= iy < x.h and 0 <= ix < x.w else zero)
            taps.append(idx)
    ext = [p + [0.0] for p in x.planes]
    out = []
    for co in range(cout):
        acc = [0.0] * (ho * wo)
        for ci in range(cin):
            src = ext[ci]
            base = ((co * cin) + ci) * kh * kw
            for t, idx in enumerate(taps):
                v = w[base + t]
                if v != 0.0:
                    acc = [a + v * src[i] for a, i in zip(acc, idx)]
        out.append(acc)
    return T(out, ho, wo)


def conv_transpose2x2(x, w, shape):
    """nn.ConvTranspose2d(C, C, 2, stride=2, padding=0, output_padding=0, bias=False); weight [in, out, 2, 2]."""
    cin, cout, kh, kw = shape
    assert (kh, kw) == (2, 2) and cin == x.c
    ho, wo = 2 * x.h, 2 * x.w
    out = [[0.0] * (ho * wo) for _ in range(cout)]
    for ci in range(cin):
        src = x.planes[ci]
        for co in range(cout):
            dst = out[co]
            for ky in range(2):
                for kx in range(2):
                    v = w[((ci * cout + co) * 2 + ky) * 2 + kx]
                    for iy in range(x.h):
                        row = (2 * iy + ky) * wo
                        for ix in range(x.w):
                            dst[row + 2 * ix + kx] += v * src[iy * x.w + ix]
    return T(out, ho, wo)


def batchnorm(x, wts, prefix, eps=1e-3):
    g, _ = wts(prefix + ".weight")
    b, _ = wts(prefix + ".bias")
    m, _ = wts(prefix + ".running_mean")
    v, _ = wts(prefix + ".running_var")
    planes = []
    for c, p in enumerate(x.planes):
        inv = 1.0 / math.sqrt(v[c] + eps)
        planes.append([(a - m[c]) * inv * g[c] + b[c] for a in p])
    return T(planes, x.h, x.w)


def prelu(x, wts, prefix):
    a, _ = wts(prefix + ".weight")
    return T([[u if u >= 0 else a[c] * u for u in p] for c, p in enumerate(x.planes)], x.h, x.w)


def avgpool3s2p1(x):
    """nn.AvgPool2d(3, stride=2, padding=1): count_include_pad=True (divide by 9), floor mode."""
    ho, wo = (x.h - 1) // 2 + 1, (x.w - 1) // 2 + 1
    planes = []
    for p in x.planes:
        o = []
        for oy in range(ho):
            for ox in range(wo):
                s = 0.0
                for iy in range(2 * oy - 1, 2 * oy + 2):
                    for ix in range(2 * ox - 1, 2 * ox + 2):
                        if 0 <= iy < x.h and 0 <= ix < x.w:
                            s += p[iy * x.w + ix]
                o.append(s / 9.0)
        planes.append(o)
    return T(planes, ho, wo)


# ---- the official modules (test/Model.py) -------------------------------------------------------------------
def CBR(x, wts, p, stride=1):
    w, shape = wts(p + ".conv.weight")
    k = shape[2]
    return prelu(batchnorm(conv2d(x, w, shape, stride, (k - 1) // 2), wts, p + ".bn"), wts, p + ".act")


def BR(x, wts, p):
    return prelu(batchnorm(x, wts, p + ".bn"), wts, p + ".act")


def C(x, wts, p, stride=1):
    w, shape = wts(p + ".conv.weight")
    return conv2d(x, w, shape, stride, (shape[2] - 1) // 2)


def CDilated(x, wts, p, d):
    w, shape = wts(p + ".conv.weight")
    return conv2d(x, w, shape, 1, (shape[2] - 1) // 2 * d, d)


def esp_branches(output1, wts, p):
    d1 = CDilated(output1, wts, p + ".d1", 1)
    d2 = CDilated(output1, wts, p + ".d2", 2)
    d4 = CDilated(output1, wts, p + ".d4", 4)
    d8 = CDilated(output1, wts, p + ".d8", 8)
    d16 = CDilated(output1, wts, p + ".d16", 16)
    add1 = d2
    add2 = add(add1, d4)
    add3 = add(add2, d8)
    add4 = add(add3, d16)
    return cat([d1, add1, add2, add3, add4])


def DownSamplerB(x, wts, p):
    combine = esp_branches(C(x, wts, p + ".c1", 2), wts, p)
    return prelu(batchnorm(combine, wts, p + ".bn"), wts, p + ".act")


def DilatedParllelResidualBlockB(x, wts, p, residual=True):
    combine = esp_branches(C(x, wts, p + ".c1"), wts, p)
    if residual:
        combine = add(x, combine)
    return BR(combine, wts, p + ".bn")


def InputProjectionA(x, times):
    for _ in range(times):
        x = avgpool3s2p1(x)
    return x


def encoder_features(x, wts, e, p, q):
    """ESPNet_Encoder.forward up to output2_cat; e = '' (ESPNet-C) or 'encoder.' (ESPNet's self.modules)."""
    output0 = CBR(x, wts, e + "level1", 2)
    inp1 = InputProjectionA(x, 1)
    inp2 = InputProjectionA(x, 2)
    output0_cat = BR(cat([output0, inp1]), wts, e + "b1")
    output1_0 = DownSamplerB(output0_cat, wts, e + "level2_0")
    output1 = output1_0
    for i in range(p):
        output1 = DilatedParllelResidualBlockB(output1, wts, f"{e}level2.{i}")
    output1_cat = BR(cat([output1, output1_0, inp2]), wts, e + "b2")
    output2_0 = DownSamplerB(output1_cat, wts, e + "level3_0")
    output2 = output2_0
    for i in range(q):
        output2 = DilatedParllelResidualBlockB(output2, wts, f"{e}level3.{i}")
    output2_cat = BR(cat([output2_0, output2]), wts, e + "b3")
    return output0, output1_cat, output2_cat


def espnet_c(x, wts, p=2, q=8):
    _, _, output2_cat = encoder_features(x, wts, "", p, q)
    return C(output2_cat, wts, "classifier")


def espnet(x, wts, p=2, q=8):
    output0, output1_cat, output2_cat = encoder_features(x, wts, "encoder.", p, q)
    y = C(output2_cat, wts, "encoder.classifier")  # self.modules[10]
    y = batchnorm(y, wts, "br")
    w, shape = wts("up_l3.0.weight")
    output2_c = conv_transpose2x2(y, w, shape)
    output1_C = C(output1_cat, wts, "level3_C")
    comb = cat([output1_C, output2_c])
    comb = BR(comb, wts, "combine_l2_l3.0")
    comb = DilatedParllelResidualBlockB(comb, wts, "combine_l2_l3.1", residual=False)
    w, shape = wts("up_l2.0.weight")
    comb = BR(conv_transpose2x2(comb, w, shape), wts, "up_l2.1")
    concat_features = CBR(cat([comb, output0]), wts, "conv")
    w, shape = wts("classifier.weight")
    return conv_transpose2x2(concat_features, w, shape)


def image():
    """The official input for the pattern: BGR planes, (x - mean) / std / 255."""
    rgb = [[(7 * i + 3 * j) % 256 for i in range(H) for j in range(W)],
           [(i * j + 11 * j) % 256 for i in range(H) for j in range(W)],
           [255 - ((13 * i + j * j) % 256) for i in range(H) for j in range(W)]]
    bgr = [rgb[2], rgb[1], rgb[0]]
    return T([[((v - MEAN[c]) / STD[c]) / 255.0 for v in bgr[c]] for c in range(3)], H, W)


def write(path, t):
    with open(path, "wb") as f:
        for p in t.planes:
            f.write(struct.pack(f"<{len(p)}f", *p))


def summary(t):
    flat = [v for p in t.planes for v in p]
    arg = [max(range(t.c), key=lambda c: t.planes[c][i]) for i in range(t.h * t.w)]
    return {"shape": [t.c, t.h, t.w], "min": min(flat), "max": max(flat),
            "argmax_histogram": {str(c): arg.count(c) for c in range(t.c) if arg.count(c)}}


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    x = image()
    result = {"input": "32x64 RGB pattern R=(7i+3j)%256, G=(ij+11j)%256, B=255-((13i+j*j)%256); BGR, (x-mean)/std/255",
              "mean_bgr": MEAN, "std_bgr": STD, "source": "sacmehta/ESPNet test/Model.py @ afe71c3"}
    for name, fn, file in [("espnet", espnet, "espnet_p_2_q_8"), ("espnet-c", espnet_c, "espnet_c_p_2_q_8")]:
        wts = Weights(os.path.join(src, file + ".pth"))
        y = fn(x, wts)
        unused = sorted(set(wts.tensors) - wts.used)
        if unused:
            raise SystemExit(f"{file}: tensors not used by the forward pass: {unused[:5]}")
        write(os.path.join(out, file + ".logits.bin"), y)
        result[name] = dict(summary(y), file=file + ".logits.bin", weights=file + ".pth")
        print(name, result[name])
    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
