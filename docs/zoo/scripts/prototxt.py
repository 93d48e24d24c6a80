#!/usr/bin/env python3
"""Read a Caffe .prototxt (protobuf text format), infer every blob's shape for a given input size, and print
the layer table used in docs/zoo (type, hyper-parameters, output shape, parameters, conv MACs).

No Caffe, no protobuf package: a small text-format reader (messages, repeated fields, strings, numbers, enums).

Shape rules (BVLC Caffe and the tutorial's fork, which share them):
  Convolution    out = floor((in + 2p - (d*(k-1)+1)) / s) + 1
  Deconvolution  out = s*(in-1) + d*(k-1)+1 - 2p
  Pooling        out = ceil((in + 2p - k) / s) + 1, minus 1 if p > 0 and (out-1)*s >= in + p   (ceil mode)
  Crop           top = size of the reference blob (bottom[1]) on axes >= axis, offset per axis
Parameter counts: Convolution/Deconvolution weight + bias (bias_term default true); BatchNorm of the tutorial's
fork = scale + bias (learned) + mean + variance (buffers) + 1 iteration counter; BVLC BatchNorm = mean + variance
+ 1 moving-average factor (buffers only); Scale = gamma (+ beta when bias_term); PReLU = C (or 1 if channel_shared).
MACs: convolution = out_elems * (in/group) * kh * kw; deconvolution = in_elems * (out/group) * kh * kw
(batch 1; the SqueezeNAS convention counts convolutions only).

usage: python3 prototxt.py FILE.prototxt --input HxW [--classes N] [--markdown] [--phase TEST|TRAIN]
       [--bn fork|bvlc] [--caffemodel FILE.caffemodel] [--keys]   (the latter: compare every stored blob with the spec)
"""
import argparse
import math
import os
import re
import sys

TOKEN = re.compile(r'\s*(?:(#[^\n]*)|("(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')|([{}:])|([^\s{}:#"\']+))')


def tokenize(text):
    pos = 0
    out = []
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise ValueError(f"cannot tokenize at {text[pos:pos + 40]!r}")
        pos = m.end()
        comment, string, punct, word = m.groups()
        if comment is not None:
            continue
        if string is not None:
            out.append(("str", string[1:-1]))
        elif punct is not None:
            out.append(("p", punct))
        elif word is not None:
            out.append(("w", word))
    return out


def parse_message(tokens, i, end_brace):
    msg = {}
    while i < len(tokens):
        kind, val = tokens[i]
        if kind == "p" and val == "}":
            if not end_brace:
                raise ValueError("unexpected }")
            return msg, i + 1
        if kind != "w":
            raise ValueError(f"expected a field name, got {val!r}")
        name = val
        i += 1
        if tokens[i] == ("p", ":"):
            i += 1
        if tokens[i] == ("p", "{"):
            sub, i = parse_message(tokens, i + 1, True)
            msg.setdefault(name, []).append(sub)
        else:
            kind, val = tokens[i]
            i += 1
            if kind == "w":
                try:
                    val = int(val)
                except ValueError:
                    try:
                        val = float(val)
                    except ValueError:
                        pass  # enum or bool
            msg.setdefault(name, []).append(val)
    if end_brace:
        raise ValueError("missing }")
    return msg, i


def parse(text):
    msg, _ = parse_message(tokenize(text), 0, False)
    return msg


def one(msg, key, default=None):
    v = msg.get(key)
    return v[0] if v else default


def pair(p, name, default):
    """kernel/stride/pad/dilation as (h, w) from the Caffe fields name, name_h, name_w (repeated name allowed)."""
    base = {"kernel": "kernel_size", "stride": "stride", "pad": "pad", "dilation": "dilation"}[name]
    h = p.get(f"{name}_h")
    w = p.get(f"{name}_w")
    if h or w:
        return (h[0], w[0])
    v = p.get(base)
    if not v:
        return (default, default)
    if len(v) == 1:
        return (v[0], v[0])
    return (v[0], v[1])


class Net:
    def __init__(self, text, input_hw, phase="TEST", classes=None, bn="fork"):
        self.msg = parse(text)
        self.phase = phase
        self.bn = bn
        self.shapes = {}
        self.rows = []
        self.total_params = 0
        self.total_buffers = 0
        self.total_macs = 0
        self.blobs = {}  # layer name -> expected parameter blob shapes (for --caffemodel)
        self.keys = []  # (caffe layer, tensor, shape, kind) in layer order, for the Nas key list
        h, w = input_hw
        # deploy-style inputs
        if "input" in self.msg:
            for name in self.msg["input"]:
                self.shapes[name] = [1, 3, h, w]
        self.classes = classes
        self.layers = [l for l in self.msg.get("layer", []) if self.included(l)]
        self.input_hw = input_hw

    def included(self, layer):
        for inc in layer.get("include", []):
            if "phase" in inc and one(inc, "phase") != self.phase:
                return False
            if "stage" in inc:
                return False  # stage-restricted layers (val-only accuracy) are not part of the network
        for exc in layer.get("exclude", []):
            if "phase" in exc and one(exc, "phase") == self.phase:
                return False
        return True

    def run(self):
        for layer in self.layers:
            self.step(layer)
        return self

    def step(self, layer):
        name = one(layer, "name")
        typ = one(layer, "type")
        bottoms = layer.get("bottom", [])
        tops = layer.get("top", [])
        ins = [self.shapes[b] for b in bottoms]
        params = 0
        buffers = 0
        macs = 0
        hyper = ""
        out = None
        if typ in ("Input",):
            shp = one(layer, "input_param")["shape"][0]["dim"]
            out = [1, shp[1], self.input_hw[0], self.input_hw[1]]
            for t in tops:
                self.shapes[t] = out if t == tops[0] else [1, 1, self.input_hw[0], self.input_hw[1]]
            self.rows.append((name, typ, bottoms, tops, "", out, 0, 0, 0))
            return
        if typ in ("ImageData", "ImageSegData", "Data"):
            self.shapes[tops[0]] = [1, 3, self.input_hw[0], self.input_hw[1]]
            for t in tops[1:]:
                self.shapes[t] = [1, 1, self.input_hw[0], self.input_hw[1]]
            tp = one(layer, "transform_param", {})
            hyper = "mean " + ",".join(str(v) for v in tp.get("mean_value", [])) + f" scale {one(tp, 'scale', 1)}"
            self.rows.append((name, typ, bottoms, tops, hyper, self.shapes[tops[0]], 0, 0, 0))
            return
        x = ins[0] if ins else None
        if typ in ("Convolution", "Deconvolution"):
            p = one(layer, "convolution_param")
            cout = one(p, "num_output")
            kh, kw = pair(p, "kernel", 1)
            sh, sw = pair(p, "stride", 1)
            ph, pw = pair(p, "pad", 0)
            dh, dw = pair(p, "dilation", 1)
            g = one(p, "group", 1)
            bias = one(p, "bias_term", "true") not in ("false", False)
            cin = x[1]
            if cin % g or cout % g:
                raise ValueError(f"{name}: channels {cin}->{cout} not divisible by group {g}")
            if typ == "Convolution":
                oh = (x[2] + 2 * ph - (dh * (kh - 1) + 1)) // sh + 1
                ow = (x[3] + 2 * pw - (dw * (kw - 1) + 1)) // sw + 1
                macs = cout * oh * ow * (cin // g) * kh * kw
            else:
                oh = sh * (x[2] - 1) + dh * (kh - 1) + 1 - 2 * ph
                ow = sw * (x[3] - 1) + dw * (kw - 1) + 1 - 2 * pw
                macs = cin * x[2] * x[3] * (cout // g) * kh * kw
            if oh <= 0 or ow <= 0:
                raise ValueError(f"{name}: non-positive output {oh}x{ow} from {x}")
            params = cout * (cin // g) * kh * kw + (cout if bias else 0)
            wshape = [cout, cin // g, kh, kw] if typ == "Convolution" else [cin, cout // g, kh, kw]
            self.blobs[name] = [wshape] + ([[cout]] if bias else [])
            lr = [one(pp, "lr_mult", 1) for pp in layer.get("param", [])]
            fixed = bool(lr) and lr[0] == 0
            self.keys.append((name, "weight", wshape, "buffer (fixed: lr_mult 0)" if fixed else "param"))
            if bias:
                self.keys.append((name, "bias", [cout], "param"))
            out = [1, cout, oh, ow]
            hyper = f"k{kh}x{kw} s{sh}x{sw} p{ph}x{pw}" + (f" d{dh}x{dw}" if (dh, dw) != (1, 1) else "") + \
                    (f" g{g}" if g != 1 else "") + (" bias" if bias else " nobias")
        elif typ == "Pooling":
            p = one(layer, "pooling_param", {})
            kind = one(p, "pool", "MAX")
            if one(p, "global_pooling", "false") in ("true", True):
                kh, kw = x[2], x[3]
                sh = sw = 1
                ph = pw = 0
            else:
                kh, kw = pair(p, "kernel", 1)
                sh, sw = pair(p, "stride", 1)
                ph, pw = pair(p, "pad", 0)
            oh = int(math.ceil((x[2] + 2 * ph - kh) / sh)) + 1
            ow = int(math.ceil((x[3] + 2 * pw - kw) / sw)) + 1
            if ph or pw:
                if (oh - 1) * sh >= x[2] + ph:
                    oh -= 1
                if (ow - 1) * sw >= x[3] + pw:
                    ow -= 1
            floor_h = (x[2] + 2 * ph - kh) // sh + 1
            floor_w = (x[3] + 2 * pw - kw) // sw + 1
            out = [x[0], x[1], oh, ow]
            hyper = f"{kind} k{kh}x{kw} s{sh}x{sw} p{ph}x{pw} ceil" + \
                    ("" if (oh, ow) == (floor_h, floor_w) else f" (ceil != floor {floor_h}x{floor_w})")
        elif typ == "BatchNorm":
            p = one(layer, "batch_norm_param", {})
            c = x[1]
            if self.bn == "fork":
                params, buffers = 2 * c, 2 * c + 1
                self.blobs[name] = [[1, c, 1, 1]] * 4 + [[1, 1, 1, 1]]
                for k, kind in (("weight", "param"), ("bias", "param"), ("running_mean", "buffer"),
                                ("running_var", "buffer")):
                    self.keys.append((name, k, [c], kind))
                self.keys.append((name, "num_batches_tracked", [], "buffer"))
            else:
                params, buffers = 0, 2 * c + 1
                self.blobs[name] = [[c], [c], [1]]
            ug = one(p, "use_global_stats", None)
            hyper = f"eps {one(p, 'eps', 1e-5)}" + (f" use_global_stats {ug}" if ug is not None else "") + \
                    f" maf {one(p, 'moving_average_fraction', 0.999)}"
            out = list(x)
        elif typ == "Scale":
            p = one(layer, "scale_param", {})
            c = x[1]
            bias = one(p, "bias_term", "false") in ("true", True)
            params = c + (c if bias else 0)
            self.blobs[name] = [[c]] + ([[c]] if bias else [])
            out = list(x)
            hyper = "bias" if bias else "nobias"
        elif typ == "PReLU":
            p = one(layer, "prelu_param", {})
            shared = one(p, "channel_shared", "false") in ("true", True)
            params = 1 if shared else x[1]
            self.blobs[name] = [[params]]
            out = list(x)
        elif typ in ("ReLU", "Dropout", "Sigmoid", "TanH", "Power", "LRN", "Softmax", "Threshold"):
            out = list(x)
            if typ == "ReLU":
                slope = one(one(layer, "relu_param", {}), "negative_slope", 0)
                hyper = f"negative_slope {slope}" if slope else ""
            elif typ == "Dropout":
                hyper = f"p {one(one(layer, 'dropout_param', {}), 'dropout_ratio', 0.5)} (train only)"
            elif typ == "Power":
                pp = one(layer, "power_param", {})
                hyper = f"power {one(pp, 'power', 1)} scale {one(pp, 'scale', 1)} shift {one(pp, 'shift', 0)}"
            elif typ == "LRN":
                lp = one(layer, "lrn_param", {})
                hyper = f"size {one(lp, 'local_size', 5)} alpha {one(lp, 'alpha', 1)} beta {one(lp, 'beta', 0.75)}" \
                        f" k {one(lp, 'k', 1)} {one(lp, 'norm_region', 'ACROSS_CHANNELS')}"
        elif typ == "Eltwise":
            p = one(layer, "eltwise_param", {})
            op = one(p, "operation", "SUM")
            for s in ins[1:]:
                if s != ins[0]:
                    raise ValueError(f"{name}: Eltwise shapes differ {ins}")
            coeff = p.get("coeff")
            hyper = op + (f" coeff {coeff}" if coeff else "")
            out = list(ins[0])
        elif typ == "Concat":
            p = one(layer, "concat_param", {})
            axis = one(p, "axis", 1)
            if axis != 1:
                raise ValueError(f"{name}: concat axis {axis}")
            for s in ins[1:]:
                if s[2:] != ins[0][2:]:
                    raise ValueError(f"{name}: Concat spatial sizes differ {ins}")
            out = [1, sum(s[1] for s in ins), ins[0][2], ins[0][3]]
            hyper = "axis 1, order " + " + ".join(str(s[1]) for s in ins)
        elif typ == "Crop":
            p = one(layer, "crop_param", {})
            axis = one(p, "axis", 2)
            offs = p.get("offset", [0])
            ref = ins[1]
            out = list(x[:axis]) + list(ref[axis:])
            o = offs if len(offs) > 1 else offs * (4 - axis)
            for a in range(axis, 4):
                if o[a - axis] + ref[a] > x[a]:
                    raise ValueError(f"{name}: crop offset {o[a - axis]} + {ref[a]} > {x[a]}")
            hyper = f"axis {axis} offset {offs}"
        elif typ in ("SoftmaxWithLoss", "Accuracy"):
            self.rows.append((name, typ, bottoms, tops, "training only", None, 0, 0, 0))
            for t in tops:
                self.shapes[t] = [1]
            return
        else:
            raise ValueError(f"{name}: layer type {typ} not handled")
        for t in tops:
            self.shapes[t] = out
        self.total_params += params
        self.total_buffers += buffers
        self.total_macs += macs
        self.rows.append((name, typ, bottoms, tops, hyper, out, params, buffers, macs))

    def key_table(self):
        """Nas parameter names for a Caffe-defined network: module = Caffe layer name with every character outside
        [A-Za-z0-9_] replaced by '_' (unique-checked); tensors as PyTorch names them."""
        names = {}
        for layer, _, _, _ in self.keys:
            m = re.sub(r"[^A-Za-z0-9_]", "_", layer)
            if m in names.values() and names.get(layer) != m:
                raise ValueError(f"sanitised name {m} is not unique")
            names[layer] = m
        lines = ["| # | Caffe layer (blob) | Nas key | shape | kind |", "|---:|---|---|---|---|"]
        blob_index = {}
        for i, (layer, tensor, shape, kind) in enumerate(self.keys):
            b = blob_index.get(layer, 0)
            blob = "" if tensor == "num_batches_tracked" else f" [{b}]"
            blob_index[layer] = b + 1
            if tensor == "num_batches_tracked":
                blob = " [4] (iteration counter)"
            lines.append(f"| {i} | {layer}{blob} | `{names[layer]}.{tensor}` | {shape} | {kind} |")
        return "\n".join(lines)

    def markdown(self):
        lines = ["| # | layer | type | bottom -> top | hyper-parameters | output (C×H×W) | params | buffers | MACs |",
                 "|---|---|---|---|---|---|---:|---:|---:|"]
        for i, (name, typ, b, t, hyper, out, params, buffers, macs) in enumerate(self.rows):
            shp = "" if out is None else "×".join(str(v) for v in out[1:])
            bt = ", ".join(b) + " -> " + ", ".join(t)
            lines.append(f"| {i} | {name} | {typ} | {bt} | {hyper} | {shp} | {params or ''} | {buffers or ''} | "
                         f"{macs or ''} |")
        return "\n".join(lines)


def check_caffemodel(net, path):
    import caffemodel  # same folder
    with open(path, "rb") as f:
        stored = {name: [dims for dims, _, _ in blobs] for name, _, blobs in caffemodel.layers(f.read()) if blobs}
    problems = []
    for name, shapes in net.blobs.items():
        got = stored.pop(name, None)
        if got is None:
            problems.append(f"missing in caffemodel: {name}")
        elif [_squeeze(s) for s in got] != [_squeeze(s) for s in shapes]:
            problems.append(f"{name}: caffemodel {got} vs spec {shapes}")
    problems += [f"unexpected in caffemodel: {name}" for name in stored]
    for p in problems:
        print(p)
    print(f"\ncaffemodel `{os.path.basename(path)}`: every stored blob compared with the shapes above: "
          f"{len(net.blobs)} layers with blobs, {len(problems)} mismatches")


def _squeeze(shape):
    s = [d for d in shape if d != 1]
    return s or [1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--input", required=True, help="HxW")
    ap.add_argument("--phase", default="TEST")
    ap.add_argument("--bn", default="fork", choices=["fork", "bvlc"])
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--caffemodel")
    ap.add_argument("--keys", action="store_true", help="print the Nas key list (sanitised Caffe layer names)")
    args = ap.parse_args()
    h, w = (int(v) for v in args.input.lower().split("x"))
    with open(args.file) as f:
        net = Net(f.read(), (h, w), phase=args.phase, bn=args.bn).run()
    if args.keys:
        print(net.key_table())
        return
    if args.markdown:
        print(net.markdown())
    last = [r for r in net.rows if r[5] is not None][-1]
    print(f"\nlayers {len(net.rows)}, parameter blobs {net.total_params:,} values (learned or fixed), "
          f"buffers {net.total_buffers:,}, conv MACs {net.total_macs:,} ({net.total_macs / 1e9:.3f} G) at {h}x{w}, "
          f"last blob {'x'.join(str(v) for v in last[5][1:])}")
    if args.caffemodel:
        check_caffemodel(net, args.caffemodel)


if __name__ == "__main__":
    main()
