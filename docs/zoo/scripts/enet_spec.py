#!/usr/bin/env python3
"""ENet in Nas's parameter naming (docs/zoo/enet.md): the paper version `enet` as written by the paper's authors
(e-lab/ENet-training, train/models/encoder.lua + decoder.lua) and the tutorial's accelerator-friendly variant
`enet-relu-deconv` (695kede/xilinx-edge-ai, docs/Caffe-Segmentation/Segment/DNNDK/enet/float.prototxt).

usage: python3 enet_spec.py [--classes 19] [--input 512x1024] [--keys enet|enet-relu-deconv|enet-encoder|...]
                            [--layers NAME] [--prototxt FLOAT.prototxt [--caffe-map]]
With --prototxt, the tutorial variant built here is compared op by op (conv/deconv/BN/ReLU/pool/add/concat kinds
and output shapes, in order) with the Caffe model; --caffe-map prints the Caffe layer -> Nas key table.
"""
import argparse
import os
import sys

from specnet import Spec

ELAB_BN = dict(eps=1e-3, momentum=0.1)  # nn.SpatialBatchNormalization(n, 1e-3), Torch7 default momentum 0.1
TUT_BN = dict(eps=1e-5, momentum=0.001)  # Caffe fork BatchNorm: eps 1e-5 (prototxt), moving_average_fraction .999

# (name, kind, option) for stages 2 and 3 of the encoder (paper Table 1; e-lab encoder.lua loop)
STAGE = [("1", "regular", None), ("2", "dilated", 2), ("3", "asymmetric", 5), ("4", "dilated", 4),
         ("5", "regular", None), ("6", "dilated", 8), ("7", "asymmetric", 5), ("8", "dilated", 16)]


# ----------------------------------------------------------------------------------------------------- paper
def elab_encoder_bottleneck(s, name, x, cout, kind="regular", opt=None, downsample=False, p_drop=0.1):
    cin, h, w = x
    internal = cout // 4  # e-lab: internal = output / internal_scale (4)
    k = 2 if downsample else 1
    y = s.conv(f"{name}.proj.conv", x, internal, k, k, 0)
    s.bn(f"{name}.proj.bn", y, **ELAB_BN)
    s.prelu(f"{name}.proj.act", y)
    if kind == "regular":
        y = s.conv(f"{name}.conv.conv", y, internal, 3, 1, 1, bias=True)
    elif kind == "dilated":
        y = s.conv(f"{name}.conv.conv", y, internal, 3, 1, opt, opt, bias=True)
    else:  # asymmetric: Torch SpatialConvolution(n, n, kW=5, kH=1, ..., padW=2, padH=0) -> PyTorch kernel (1, 5)
        y = s.conv(f"{name}.conv.conv1", y, internal, (1, opt), 1, (0, opt // 2), note="(Torch kW=5,kH=1)")
        y = s.conv(f"{name}.conv.conv2", y, internal, (opt, 1), 1, (opt // 2, 0), bias=True,
                   note="(Torch kW=1,kH=5); no BN/activation between the two")
    s.bn(f"{name}.conv.bn", y, **ELAB_BN)
    s.prelu(f"{name}.conv.act", y)
    y = s.conv(f"{name}.expand.conv", y, cout, 1)
    s.bn(f"{name}.expand.bn", y, **ELAB_BN)
    s.note(f"{name}.dropout", f"Dropout2d p={p_drop} (spatial, training only)", y)
    main = x
    if downsample:
        main = s.note(f"{name}.pool", "MaxPool2d(2, stride 2) floor, return_indices=True (kept for the decoder)",
                      (cin, h // 2, w // 2))
        if main[1:] != y[1:]:
            raise ValueError(f"{name}: pool {main} vs branch {y}")
    if cin != cout:
        s.note(f"{name}.pad", f"zero channels appended: {cin} -> {cout} (nn.Padding(1, {cout - cin}, 3))", y)
    s.note(name, "add (shortcut + branch)", y)
    return s.prelu(f"{name}.act", y)


def elab_decoder_bottleneck(s, name, x, cout, upsample=False, skip=None):
    cin, h, w = x
    internal = cout // 4  # decoder.lua: internal = output / 4
    y = s.conv(f"{name}.proj.conv", x, internal, 1)
    s.bn(f"{name}.proj.bn", y, **ELAB_BN)
    s.note(f"{name}.proj.relu", "ReLU", y)
    if upsample:
        y = s.deconv(f"{name}.conv.deconv", y, internal, 3, 2, 1, 1, bias=True,
                     note="(Torch SpatialFullConvolution 3x3, stride 2, pad 1, adj 1)")
    else:
        y = s.conv(f"{name}.conv.conv", y, internal, 3, 1, 1, bias=True)
    s.bn(f"{name}.conv.bn", y, **ELAB_BN)
    s.note(f"{name}.conv.relu", "ReLU", y)
    y = s.conv(f"{name}.expand.conv", y, cout, 1)
    s.bn(f"{name}.expand.bn", y, **ELAB_BN)
    if cin != cout or upsample:
        m = s.conv(f"{name}.shortcut.conv", x, cout, 1)
        s.bn(f"{name}.shortcut.bn", m, **ELAB_BN)
        if upsample:
            s.note(f"{name}.unpool", f"MaxUnpool2d(2, stride 2) with the indices of {skip}", y)
    s.note(name, "add", y)
    return s.note(f"{name}.relu", "ReLU", y)


def enet_paper(classes, hw, encoder_only=False):
    s = Spec("enet (paper, e-lab reference)" + (" encoder stage" if encoder_only else ""))
    x = (3,) + hw
    c = s.conv("initial.conv", x, 13, 3, 2, 1, bias=True, note="(cudnn.SpatialConvolution default bias)")
    m = s.note("initial.pool", "MaxPool2d(2, stride 2) floor (no indices)", (3, hw[0] // 2, hw[1] // 2))
    if m[1:] != c[1:]:
        raise ValueError(f"initial block: conv {c} and max-pool {m} differ (odd size)")
    y = s.note("initial (cat)", "cat[conv 13, maxpool 3]", (16,) + c[1:])
    s.bn("initial.bn", y, **ELAB_BN)
    y = s.prelu("initial.act", y)
    size1 = y
    y = elab_encoder_bottleneck(s, "bottleneck1_0", y, 64, downsample=True, p_drop=0.01)
    for i in range(1, 5):
        y = elab_encoder_bottleneck(s, f"bottleneck1_{i}", y, 64, p_drop=0.01)
    size2 = y
    y = elab_encoder_bottleneck(s, "bottleneck2_0", y, 128, downsample=True, p_drop=0.1)
    for stage in (2, 3):
        for n, kind, opt in STAGE:
            y = elab_encoder_bottleneck(s, f"bottleneck{stage}_{n}", y, 128, kind, opt, p_drop=0.1)
    if encoder_only:
        y = s.conv("encoder_classifier", y, classes, 1, bias=True, note="(encoder.lua final 1x1; output at 1/8)")
        return s
    y = elab_decoder_bottleneck(s, "bottleneck4_0", y, 64, upsample=True, skip="bottleneck2_0.pool")
    if y[1:] != size2[1:]:
        raise ValueError(f"bottleneck4_0: upsampled {y} but the max-unpool target is {size2} (odd size)")
    y = elab_decoder_bottleneck(s, "bottleneck4_1", y, 64)
    y = elab_decoder_bottleneck(s, "bottleneck4_2", y, 64)
    y = elab_decoder_bottleneck(s, "bottleneck5_0", y, 16, upsample=True, skip="bottleneck1_0.pool")
    if y[1:] != size1[1:]:
        raise ValueError(f"bottleneck5_0: upsampled {y} but the max-unpool target is {size1} (odd size)")
    y = elab_decoder_bottleneck(s, "bottleneck5_1", y, 16)
    out = s.deconv("fullconv", y, classes, 2, 2, 0, 0, bias=True,
                   note="(Torch SpatialFullConvolution(16, C, 2, 2, 2, 2))")
    if out[1:] != hw:
        raise ValueError(f"output {out} differs from the input size {hw}")
    return s


# ------------------------------------------------------------------------------------- davidtvs/PyTorch-ENet
# models/enet.py @ e17d404 with ENet(num_classes, encoder_relu=False, decoder_relu=True): its own key names, for
# comparison only (a different network from `enet`: see docs/zoo/enet.md). nn.PReLU() there has ONE parameter.
DT_BN = dict(eps=1e-5, momentum=0.1)


def dt_act(s, p, x, prelu):
    return s.prelu(p, x, 1) if prelu else s.note(p, "ReLU", x)


def dt_regular(s, name, x, prelu, k=3, pad=1, dil=1, asym=False, p_drop=0.1):
    c = x[0]
    i = c // 4
    y = s.conv(f"{name}.ext_conv1.0", x, i, 1)
    s.bn(f"{name}.ext_conv1.1", y, **DT_BN)
    dt_act(s, f"{name}.ext_conv1.2", y, prelu)
    if asym:
        y = s.conv(f"{name}.ext_conv2.0", y, i, (k, 1), 1, (pad, 0), dil)
        s.bn(f"{name}.ext_conv2.1", y, **DT_BN)
        dt_act(s, f"{name}.ext_conv2.2", y, prelu)
        y = s.conv(f"{name}.ext_conv2.3", y, i, (1, k), 1, (0, pad), dil)
        s.bn(f"{name}.ext_conv2.4", y, **DT_BN)
        dt_act(s, f"{name}.ext_conv2.5", y, prelu)
    else:
        y = s.conv(f"{name}.ext_conv2.0", y, i, k, 1, pad, dil)
        s.bn(f"{name}.ext_conv2.1", y, **DT_BN)
        dt_act(s, f"{name}.ext_conv2.2", y, prelu)
    y = s.conv(f"{name}.ext_conv3.0", y, c, 1)
    s.bn(f"{name}.ext_conv3.1", y, **DT_BN)
    dt_act(s, f"{name}.ext_conv3.2", y, prelu)
    s.note(f"{name}.ext_regul", f"Dropout2d p={p_drop}", y)
    return dt_act(s, f"{name}.out_activation", y, prelu)


def dt_down(s, name, x, cout, prelu, p_drop):
    i = x[0] // 4
    y = s.conv(f"{name}.ext_conv1.0", x, i, 2, 2)
    s.bn(f"{name}.ext_conv1.1", y, **DT_BN)
    dt_act(s, f"{name}.ext_conv1.2", y, prelu)
    y = s.conv(f"{name}.ext_conv2.0", y, i, 3, 1, 1)
    s.bn(f"{name}.ext_conv2.1", y, **DT_BN)
    dt_act(s, f"{name}.ext_conv2.2", y, prelu)
    y = s.conv(f"{name}.ext_conv3.0", y, cout, 1)
    s.bn(f"{name}.ext_conv3.1", y, **DT_BN)
    dt_act(s, f"{name}.ext_conv3.2", y, prelu)
    return dt_act(s, f"{name}.out_activation", y, prelu)


def dt_up(s, name, x, cout, prelu):
    i = x[0] // 4
    m = s.conv(f"{name}.main_conv1.0", x, cout, 1)
    s.bn(f"{name}.main_conv1.1", m, **DT_BN)
    y = s.conv(f"{name}.ext_conv1.0", x, i, 1)
    s.bn(f"{name}.ext_conv1.1", y, **DT_BN)
    dt_act(s, f"{name}.ext_conv1.2", y, prelu)
    y = s.deconv(f"{name}.ext_tconv1", y, i, 2, 2)
    s.bn(f"{name}.ext_tconv1_bnorm", y, **DT_BN)
    dt_act(s, f"{name}.ext_tconv1_activation", y, prelu)
    y = s.conv(f"{name}.ext_conv2.0", y, cout, 1)
    s.bn(f"{name}.ext_conv2.1", y, **DT_BN)
    return dt_act(s, f"{name}.out_activation", y, prelu)


def enet_davidtvs(classes, hw):
    s = Spec("davidtvs/PyTorch-ENet ENet (comparison only)")
    x = (3,) + hw
    y = s.conv("initial_block.main_branch", x, 13, 3, 2, 1)
    y = (16,) + y[1:]
    s.bn("initial_block.batch_norm", y, **DT_BN)
    y = dt_act(s, "initial_block.out_activation", y, True)
    y = dt_down(s, "downsample1_0", y, 64, True, 0.01)
    for n in range(1, 5):
        y = dt_regular(s, f"regular1_{n}", y, True, p_drop=0.01)
    y = dt_down(s, "downsample2_0", y, 128, True, 0.1)
    for st in (2, 3):
        names = (["regular2_1", "dilated2_2", "asymmetric2_3", "dilated2_4", "regular2_5", "dilated2_6",
                  "asymmetric2_7", "dilated2_8"] if st == 2 else
                 ["regular3_0", "dilated3_1", "asymmetric3_2", "dilated3_3", "regular3_4", "dilated3_5",
                  "asymmetric3_6", "dilated3_7"])
        for nm, (_, kind, opt) in zip(names, STAGE):
            if kind == "regular":
                y = dt_regular(s, nm, y, True)
            elif kind == "dilated":
                y = dt_regular(s, nm, y, True, pad=opt, dil=opt)
            else:
                y = dt_regular(s, nm, y, True, k=5, pad=2, asym=True)
    y = dt_up(s, "upsample4_0", y, 64, False)
    y = dt_regular(s, "regular4_1", y, False)
    y = dt_regular(s, "regular4_2", y, False)
    y = dt_up(s, "upsample5_0", y, 16, False)
    y = dt_regular(s, "regular5_1", y, False)
    s.deconv("transposed_conv", y, classes, 3, 2, 1, 1, note="(output_size=input size)")
    return s


# -------------------------------------------------------------------------------------------------- tutorial
def relu(s, p, y):
    return s.note(p, "ReLU", y, kind="relu")


def tut_regular(s, name, x, kind="regular", opt=None):
    c = x[0]
    internal = c // 4
    y = s.conv(f"{name}.proj.conv", x, internal, 1)
    s.bn(f"{name}.proj.bn", y, **TUT_BN)
    relu(s, f"{name}.proj.relu", y)
    if kind == "regular":
        y = s.conv(f"{name}.conv.conv", y, internal, 3, 1, 1)
    elif kind == "dilated":
        y = s.conv(f"{name}.conv.conv", y, internal, 3, 1, opt, opt)
    else:
        y = s.conv(f"{name}.conv.conv1", y, internal, (opt, 1), 1, (opt // 2, 0))
        s.bn(f"{name}.conv.bn1", y, **TUT_BN)
        relu(s, f"{name}.conv.relu1", y)
        y = s.conv(f"{name}.conv.conv2", y, internal, (1, opt), 1, (0, opt // 2))
    s.bn(f"{name}.conv.bn", y, **TUT_BN)
    relu(s, f"{name}.conv.relu", y)
    y = s.conv(f"{name}.expand.conv", y, c, 1)
    s.bn(f"{name}.expand.bn", y, **TUT_BN)
    relu(s, f"{name}.expand.relu", y)
    s.note(name, "add (identity + branch)", y, kind="add")
    return relu(s, f"{name}.relu", y)


def tut_down(s, name, x, cout):
    cin, h, w = x
    internal = cout // 4
    m = s.note(f"{name}.pool", "MaxPool2d(3, stride 2, padding 0, ceil_mode=True) (Caffe pooling)",
               (cin, -(-(h - 3) // 2) + 1, -(-(w - 3) // 2) + 1), kind="pool")
    m = s.conv(f"{name}.shortcut.conv", m, cout, 1, note="(replaces the paper's channel zero-padding; no BN)")
    y = s.conv(f"{name}.proj.conv", x, internal, 2, 2, 0)
    s.bn(f"{name}.proj.bn", y, **TUT_BN)
    relu(s, f"{name}.proj.relu", y)
    y = s.conv(f"{name}.conv.conv", y, internal, 3, 1, 1)
    s.bn(f"{name}.conv.bn", y, **TUT_BN)
    relu(s, f"{name}.conv.relu", y)
    y = s.conv(f"{name}.expand.conv", y, cout, 1)
    s.bn(f"{name}.expand.bn", y, **TUT_BN)
    relu(s, f"{name}.expand.relu", y)
    if m != y:
        raise ValueError(f"{name}: shortcut {m} vs branch {y}")
    s.note(name, "add (shortcut + branch)", y, kind="add")
    return relu(s, f"{name}.relu", y)


def tut_up(s, name, x, cout):
    cin = x[0]
    internal = cin // 4  # the tutorial uses input/4 here (32 for 128->64, 16 for 64->16)
    m = s.conv(f"{name}.shortcut.conv", x, cout, 1)
    s.bn(f"{name}.shortcut.bn", m, **TUT_BN)
    m = s.deconv(f"{name}.shortcut.up", m, cout, 4, 2, 1, 0, g=cout, fixed=True,
                 note="fixed bilinear kernel outer([.25,.75,.75,.25]) per channel (lr_mult 0; a buffer)")
    y = s.conv(f"{name}.proj.conv", x, internal, 1)
    s.bn(f"{name}.proj.bn", y, **TUT_BN)
    relu(s, f"{name}.proj.relu", y)
    y = s.deconv(f"{name}.conv.deconv", y, internal, 2, 2, 0, 0, bias=True)
    s.bn(f"{name}.conv.bn", y, **TUT_BN)
    relu(s, f"{name}.conv.relu", y)
    y = s.conv(f"{name}.expand.conv", y, cout, 1)
    s.bn(f"{name}.expand.bn", y, **TUT_BN)
    relu(s, f"{name}.expand.relu", y)
    if m != y:
        raise ValueError(f"{name}: shortcut {m} vs branch {y}")
    s.note(name, "add (upsampled shortcut + branch)", y, kind="add")
    return relu(s, f"{name}.relu", y)


def enet_tutorial(classes, hw, encoder_only=False):
    s = Spec("enet-relu-deconv (tutorial)" + (" encoder stage" if encoder_only else ""))
    x = (3,) + hw
    c = s.conv("initial.conv", x, 13, 3, 2, 1)
    s.note("initial.pool", "MaxPool2d(3, stride 2, padding 0, ceil_mode=True)",
           (3, -(-(hw[0] - 3) // 2) + 1, -(-(hw[1] - 3) // 2) + 1), kind="pool")
    if -(-(hw[0] - 3) // 2) + 1 != c[1] or -(-(hw[1] - 3) // 2) + 1 != c[2]:
        raise ValueError(f"initial block: conv {c} and max-pool differ (odd size)")
    y = s.note("initial (cat)", "cat[conv 13, maxpool 3]", (16,) + c[1:], kind="concat")
    s.bn("initial.bn", y, **TUT_BN)
    y = relu(s, "initial.relu", y)
    y = tut_down(s, "bottleneck1_0", y, 64)
    for i in range(1, 5):
        y = tut_regular(s, f"bottleneck1_{i}", y)
    y = tut_down(s, "bottleneck2_0", y, 128)
    for stage in (2, 3):
        for n, kind, opt in STAGE:
            y = tut_regular(s, f"bottleneck{stage}_{n}", y, kind, opt)
    if encoder_only:
        s.deconv("encoder_head", y, classes, 8, 8, 0, 0, bias=True,
                 note="(train_val_encoder.prototxt deconv_encoder6_0_0; dropped for the full network)")
        return s
    y = tut_up(s, "bottleneck4_0", y, 64)
    y = tut_regular(s, "bottleneck4_1", y)
    y = tut_regular(s, "bottleneck4_2", y)
    y = tut_up(s, "bottleneck5_0", y, 16)
    y = tut_regular(s, "bottleneck5_1", y)
    out = s.deconv("fullconv", y, classes, 2, 2, 0, 0, bias=True)
    if out[1:] != hw:
        raise ValueError(f"output {out} differs from the input size {hw}")
    return s


def compare_prototxt(spec, path, hw, caffe_map=False):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import prototxt
    with open(path) as f:
        net = prototxt.Net(f.read(), hw, phase="TRAIN").run()
    kinds = {"Convolution": "conv", "Deconvolution": "deconv", "BatchNorm": "bn", "ReLU": "relu",
             "Pooling": "pool", "Eltwise": "add", "Concat": "concat"}
    theirs = [(kinds[t], tuple(o[1:]), n) for n, t, _, _, _, o, _, _, _ in net.rows if t in kinds]
    ours = [(k, tuple(o), p) for k, o, p in spec.ops]
    bad = 0
    for i in range(max(len(ours), len(theirs))):
        a = ours[i] if i < len(ours) else None
        b = theirs[i] if i < len(theirs) else None
        if a is None or b is None or a[:2] != b[:2]:
            print(f"op {i}: spec {a} vs prototxt {b}")
            bad += 1
            if bad > 10:
                break
    print(f"`{os.path.basename(path)}`: {len(theirs)} ops (conv, deconv, BN, ReLU, pool, add, concat) vs "
          f"{len(ours)} in the spec, compared in order by kind and output shape: {bad} differences\n")
    if caffe_map:
        print("| Caffe layer | Caffe type | Nas module | output C×H×W |\n|---|---|---|---|")
        for a, b in zip(ours, theirs):
            if a[0] in ("conv", "deconv", "bn"):
                print(f"| {b[2]} | {a[0]} | `{a[2]}` | {'×'.join(str(v) for v in a[1])} |")
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--classes", type=int, default=19)
    ap.add_argument("--input", default="512x1024")
    ap.add_argument("--keys")
    ap.add_argument("--layers")
    ap.add_argument("--prototxt")
    ap.add_argument("--encoder-prototxt")
    ap.add_argument("--caffe-map", action="store_true")
    a = ap.parse_args()
    hw = tuple(int(v) for v in a.input.lower().split("x"))
    build = {"enet": lambda: enet_paper(a.classes, hw), "enet-encoder": lambda: enet_paper(a.classes, hw, True),
             "enet-relu-deconv": lambda: enet_tutorial(a.classes, hw),
             "enet-relu-deconv-encoder": lambda: enet_tutorial(a.classes, hw, True),
             "davidtvs-enet": lambda: enet_davidtvs(a.classes, hw)}
    if a.keys:
        print(build[a.keys]().key_table())
        return
    if a.layers:
        print(build[a.layers]().layer_table())
        return
    bad = 0
    for name in ([] if a.caffe_map else build):
        s = build[name]()
        print(s.summary(None, hw))
    if a.prototxt:
        bad += compare_prototxt(build["enet-relu-deconv"](), a.prototxt, hw, a.caffe_map)
    if a.encoder_prototxt:
        bad += compare_prototxt(build["enet-relu-deconv-encoder"](), a.encoder_prototxt, hw, a.caffe_map)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
