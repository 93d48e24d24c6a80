#!/usr/bin/env python3
"""Exact state-dict keys, parameter counts and conv MACs of torchvision's segmentation models, rebuilt from the
module definitions (torchvision/models/mobilenetv3.py, resnet.py, segmentation/lraspp.py, deeplabv3.py, fcn.py;
see docs/zoo/lraspp-mobilenet-v3.md and docs/zoo/deeplabv3.md for the sources and commits).

usage: python3 torchvision_seg.py [--classes 21] [--input 512x1024] [--keys NAME] [--layers NAME]
  NAME in lraspp-mobilenet-v3-large, lraspp-mobilenet-v3-small, deeplabv3-mobilenet-v3-large,
          deeplabv3-resnet50, mobilenet-v3-large-imagenet, mobilenet-v3-small-imagenet, resnet50-imagenet
Without --keys/--layers it prints the summary of every model and compares with torchvision's published
"num_params" (and exits 1 on a mismatch).
"""
import argparse
import sys

from specnet import Spec

# torchvision weight metadata ("num_params") for the published figures
PUBLISHED = {
    "lraspp-mobilenet-v3-large": 3_221_538,  # LRASPP_MobileNet_V3_Large_Weights.COCO_WITH_VOC_LABELS_V1, 21 classes
    "deeplabv3-mobilenet-v3-large": 11_029_328,  # DeepLabV3_MobileNet_V3_Large_Weights..., aux included
    "deeplabv3-resnet50": 42_004_074,  # DeepLabV3_ResNet50_Weights.COCO_WITH_VOC_LABELS_V1, aux included
    "mobilenet-v3-large-imagenet": 5_483_032,  # MobileNet_V3_Large_Weights.IMAGENET1K_V1 (1000 classes)
    "mobilenet-v3-small-imagenet": 2_542_856,  # MobileNet_V3_Small_Weights.IMAGENET1K_V1
    "resnet50-imagenet": 25_557_032,  # ResNet50_Weights.IMAGENET1K_V1
}

BN_MBV3 = dict(eps=1e-3, momentum=0.01)  # MobileNetV3: partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)
BN_DEFAULT = dict(eps=1e-5, momentum=0.1)  # nn.BatchNorm2d defaults (ResNet, heads)


def make_divisible(v, divisor=8, min_value=None):
    min_value = divisor if min_value is None else min_value
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


# (input, kernel, expanded, out, use_se, activation, stride, dilation); dilated=True puts dilation 2 on the last
# stage (C4 and after), exactly as _mobilenet_v3_conf(arch, dilated=True); reduced_tail is NOT used by torchvision's
# segmentation builders (lraspp_mobilenet_v3_large / deeplabv3_mobilenet_v3_large pass dilated=True only).
def mbv3_conf(arch, dilated, reduced_tail=False):
    r = 2 if reduced_tail else 1
    d = 2 if dilated else 1
    if arch == "large":
        s = [(16, 3, 16, 16, False, "RE", 1, 1), (16, 3, 64, 24, False, "RE", 2, 1),
             (24, 3, 72, 24, False, "RE", 1, 1), (24, 5, 72, 40, True, "RE", 2, 1),
             (40, 5, 120, 40, True, "RE", 1, 1), (40, 5, 120, 40, True, "RE", 1, 1),
             (40, 3, 240, 80, False, "HS", 2, 1), (80, 3, 200, 80, False, "HS", 1, 1),
             (80, 3, 184, 80, False, "HS", 1, 1), (80, 3, 184, 80, False, "HS", 1, 1),
             (80, 3, 480, 112, True, "HS", 1, 1), (112, 3, 672, 112, True, "HS", 1, 1),
             (112, 5, 672, 160 // r, True, "HS", 2, d), (160 // r, 5, 960 // r, 160 // r, True, "HS", 1, d),
             (160 // r, 5, 960 // r, 160 // r, True, "HS", 1, d)]
        last_channel = make_divisible(1280 // r)
    else:
        s = [(16, 3, 16, 16, True, "RE", 2, 1), (16, 3, 72, 24, False, "RE", 2, 1),
             (24, 3, 88, 24, False, "RE", 1, 1), (24, 5, 96, 40, True, "HS", 2, 1),
             (40, 5, 240, 40, True, "HS", 1, 1), (40, 5, 240, 40, True, "HS", 1, 1),
             (40, 5, 120, 48, True, "HS", 1, 1), (48, 5, 144, 48, True, "HS", 1, 1),
             (48, 5, 288, 96 // r, True, "HS", 2, d), (96 // r, 5, 576 // r, 96 // r, True, "HS", 1, d),
             (96 // r, 5, 576 // r, 96 // r, True, "HS", 1, d)]
        last_channel = make_divisible(1024 // r)
    conf = [tuple(make_divisible(c) if i in (0, 2, 3) else c for i, c in enumerate(row)) for row in s]
    return conf, last_channel


def mbv3_features(spec, prefix, x, arch, dilated):
    """MobileNetV3.features (nn.Sequential). Returns (x, per-index outputs, per-index is_cn flags)."""
    conf, last_channel = mbv3_conf(arch, dilated)
    outs, is_cn = [], []
    act = {"RE": "ReLU", "HS": "Hardswish"}
    # features.0: Conv2dNormActivation(3, 16, k3, s2) + Hardswish; padding (k-1)//2*d = 1; bias = False (norm)
    x = spec.conv(f"{prefix}0.0", x, conf[0][0], 3, 2, 1)
    x = spec.bn(f"{prefix}0.1", x, **BN_MBV3)
    spec.note(f"{prefix}0.2", "Hardswish", x)
    outs.append(x)
    is_cn.append(False)
    for i, (cin, k, exp, cout, se, a, stride, dil) in enumerate(conf, start=1):
        p = f"{prefix}{i}.block"
        j = 0
        x_in = x
        if exp != cin:  # expand 1x1
            x = spec.conv(f"{p}.{j}.0", x, exp, 1)
            x = spec.bn(f"{p}.{j}.1", x, **BN_MBV3)
            spec.note(f"{p}.{j}.2", act[a], x)
            j += 1
        s = 1 if dil > 1 else stride  # dilation replaces the stride
        x = spec.conv(f"{p}.{j}.0", x, exp, k, s, (k - 1) // 2 * dil, dil, g=exp, note="depthwise")
        x = spec.bn(f"{p}.{j}.1", x, **BN_MBV3)
        spec.note(f"{p}.{j}.2", act[a], x)
        j += 1
        if se:
            sq = make_divisible(exp // 4, 8)
            spec.note(f"{p}.{j}.avgpool", "AdaptiveAvgPool2d(1)", (exp, 1, 1))
            spec.conv(f"{p}.{j}.fc1", (exp, 1, 1), sq, 1, bias=True)
            spec.note(f"{p}.{j}.activation", "ReLU", (sq, 1, 1))
            spec.conv(f"{p}.{j}.fc2", (sq, 1, 1), exp, 1, bias=True)
            spec.note(f"{p}.{j}.scale_activation", "Hardsigmoid; then x * scale (broadcast)", x)
            j += 1
        x = spec.conv(f"{p}.{j}.0", x, cout, 1)
        x = spec.bn(f"{p}.{j}.1", x, **BN_MBV3)
        if stride == 1 and cin == cout:
            spec.note(f"{prefix}{i}", "residual add (input + block)", x)
        outs.append(x)
        is_cn.append(stride > 1)  # _is_cn uses the configured stride, also when dilation replaced it
    n = len(conf) + 1
    x = spec.conv(f"{prefix}{n}.0", x, 6 * conf[-1][3], 1)
    x = spec.bn(f"{prefix}{n}.1", x, **BN_MBV3)
    spec.note(f"{prefix}{n}.2", "Hardswish", x)
    outs.append(x)
    is_cn.append(False)
    return x, outs, is_cn, last_channel


def stage_taps(is_cn):
    stage = [0] + [i for i, c in enumerate(is_cn) if c] + [len(is_cn) - 1]
    return stage


def lraspp(arch, classes, hw):
    spec = Spec(f"lraspp-mobilenet-v3-{arch}")
    x = (3,) + hw
    _, outs, is_cn, _ = mbv3_features(spec, "backbone.", x, arch, dilated=True)
    stages = stage_taps(is_cn)
    low_pos, high_pos = stages[-4], stages[-1]
    low, high = outs[low_pos], outs[high_pos]
    spec.taps = dict(low=low_pos, high=high_pos, low_shape=low, high_shape=high)
    inter = 128
    y = spec.conv("classifier.cbr.0", high, inter, 1)
    spec.bn("classifier.cbr.1", y, **BN_DEFAULT)
    spec.note("classifier.cbr.2", "ReLU", y)
    spec.note("classifier.scale.0", "AdaptiveAvgPool2d(1) (global)", (high[0], 1, 1))
    spec.conv("classifier.scale.1", (high[0], 1, 1), inter, 1)
    spec.note("classifier.scale.2", "Sigmoid; x = cbr(high) * scale(high)", y)
    spec.note("classifier (resize)", f"bilinear align_corners=False to low size {low[1]}x{low[2]}",
              (inter,) + low[1:])
    spec.conv("classifier.low_classifier", low, classes, 1, bias=True)
    spec.conv("classifier.high_classifier", (inter,) + low[1:], classes, 1, bias=True)
    spec.note("classifier (add)", "low_classifier(low) + high_classifier(x)", (classes,) + low[1:])
    spec.note("out", "bilinear align_corners=False to input size", (classes,) + hw)
    return spec


def aspp_head(spec, prefix, x, classes):
    out = 256
    c, h, w = x
    y = spec.conv(f"{prefix}0.convs.0.0", x, out, 1)
    spec.bn(f"{prefix}0.convs.0.1", y, **BN_DEFAULT)
    spec.note(f"{prefix}0.convs.0.2", "ReLU", y)
    for i, rate in enumerate((12, 24, 36), start=1):
        y = spec.conv(f"{prefix}0.convs.{i}.0", x, out, 3, 1, rate, rate)
        spec.bn(f"{prefix}0.convs.{i}.1", y, **BN_DEFAULT)
        spec.note(f"{prefix}0.convs.{i}.2", "ReLU", y)
    spec.note(f"{prefix}0.convs.4.0", "AdaptiveAvgPool2d(1)", (c, 1, 1))
    z = spec.conv(f"{prefix}0.convs.4.1", (c, 1, 1), out, 1)
    spec.bn(f"{prefix}0.convs.4.2", z, **BN_DEFAULT)
    spec.note(f"{prefix}0.convs.4.3", "ReLU; then bilinear align_corners=False to the input's HxW", (out, h, w))
    spec.note(f"{prefix}0 (cat)", "concat dim 1 in order convs.0..convs.4", (5 * out, h, w))
    y = spec.conv(f"{prefix}0.project.0", (5 * out, h, w), out, 1)
    spec.bn(f"{prefix}0.project.1", y, **BN_DEFAULT)
    spec.note(f"{prefix}0.project.2", "ReLU", y)
    spec.note(f"{prefix}0.project.3", "Dropout(p=0.5) (training only, element-wise)", y)
    y = spec.conv(f"{prefix}1", y, out, 3, 1, 1)
    spec.bn(f"{prefix}2", y, **BN_DEFAULT)
    spec.note(f"{prefix}3", "ReLU", y)
    return spec.conv(f"{prefix}4", y, classes, 1, bias=True)


def fcn_head(spec, prefix, x, classes):
    inter = x[0] // 4
    y = spec.conv(f"{prefix}0", x, inter, 3, 1, 1)
    spec.bn(f"{prefix}1", y, **BN_DEFAULT)
    spec.note(f"{prefix}2", "ReLU", y)
    spec.note(f"{prefix}3", "Dropout(p=0.1) (training only, element-wise)", y)
    return spec.conv(f"{prefix}4", y, classes, 1, bias=True)


def deeplabv3_mbv3(classes, hw, aux=True):
    spec = Spec("deeplabv3-mobilenet-v3-large")
    _, outs, is_cn, _ = mbv3_features(spec, "backbone.", (3,) + hw, "large", dilated=True)
    stages = stage_taps(is_cn)
    out_pos, aux_pos = stages[-1], stages[-4]
    spec.taps = dict(out=out_pos, aux=aux_pos, out_shape=outs[out_pos], aux_shape=outs[aux_pos])
    aspp_head(spec, "classifier.", outs[out_pos], classes)
    spec.note("out", "bilinear align_corners=False to input size", (classes,) + hw)
    if aux:
        fcn_head(spec, "aux_classifier.", outs[aux_pos], classes)
        spec.note("aux", "bilinear align_corners=False to input size (training only)", (classes,) + hw)
    return spec


def resnet50_body(spec, x, replace_stride_with_dilation=(False, True, True)):
    x = spec.conv("backbone.conv1" if spec.tv_prefix else "conv1", x, 64, 7, 2, 3)
    pre = "backbone." if spec.tv_prefix else ""
    x = spec.bn(f"{pre}bn1", x, **BN_DEFAULT)
    spec.note(f"{pre}relu", "ReLU", x)
    x = spec.note(f"{pre}maxpool", "MaxPool2d(3, stride 2, padding 1) floor mode",
                  (64, (x[1] + 2 - 3) // 2 + 1, (x[2] + 2 - 3) // 2 + 1))
    inplanes, dilation = 64, 1
    outs = {}
    for li, (planes, blocks, stride, dilate) in enumerate(
            [(64, 3, 1, False), (128, 4, 2, replace_stride_with_dilation[0]),
             (256, 6, 2, replace_stride_with_dilation[1]), (512, 3, 2, replace_stride_with_dilation[2])], start=1):
        prev = dilation
        if dilate:
            dilation *= stride
            stride = 1
        for b in range(blocks):
            p = f"{pre}layer{li}.{b}"
            s = stride if b == 0 else 1
            d = prev if b == 0 else dilation
            width = planes
            x_in = x
            y = spec.conv(f"{p}.conv1", x, width, 1)
            spec.bn(f"{p}.bn1", y, **BN_DEFAULT)
            spec.note(f"{p}.relu", "ReLU", y)
            y = spec.conv(f"{p}.conv2", y, width, 3, s, d, d)
            spec.bn(f"{p}.bn2", y, **BN_DEFAULT)
            spec.note(f"{p}.relu", "ReLU", y)
            y = spec.conv(f"{p}.conv3", y, planes * 4, 1)
            spec.bn(f"{p}.bn3", y, **BN_DEFAULT)
            if b == 0 and (s != 1 or inplanes != planes * 4):
                spec.conv(f"{p}.downsample.0", x_in, planes * 4, 1, s)
                spec.bn(f"{p}.downsample.1", y, **BN_DEFAULT)
            spec.note(p, "out = relu(bn3(conv3(...)) + identity/downsample(x))", y)
            inplanes = planes * 4
            x = y
        outs[f"layer{li}"] = x
    return x, outs


def deeplabv3_resnet50(classes, hw, aux=True):
    spec = Spec("deeplabv3-resnet50")
    spec.tv_prefix = True
    x, outs = resnet50_body(spec, (3,) + hw)
    spec.taps = dict(out="layer4", aux="layer3", out_shape=outs["layer4"], aux_shape=outs["layer3"])
    aspp_head(spec, "classifier.", outs["layer4"], classes)
    spec.note("out", "bilinear align_corners=False to input size", (classes,) + hw)
    if aux:
        fcn_head(spec, "aux_classifier.", outs["layer3"], classes)
        spec.note("aux", "bilinear align_corners=False to input size (training only)", (classes,) + hw)
    return spec


def mbv3_imagenet(arch):
    spec = Spec(f"mobilenet-v3-{arch}-imagenet")
    x, _, _, last = mbv3_features(spec, "features.", (3, 224, 224), arch, dilated=False)
    spec._p("classifier.0.weight", (last, x[0]))
    spec._p("classifier.0.bias", (last,))
    spec._p("classifier.3.weight", (1000, last))
    spec._p("classifier.3.bias", (1000,))
    return spec


def resnet50_imagenet():
    spec = Spec("resnet50-imagenet")
    spec.tv_prefix = False
    resnet50_body(spec, (3, 224, 224), (False, False, False))
    spec._p("fc.weight", (1000, 2048))
    spec._p("fc.bias", (1000,))
    return spec


def block_table(arch, hw):
    conf, _ = mbv3_conf(arch, dilated=True)
    spec = Spec("x")
    _, outs, is_cn, _ = mbv3_features(spec, "backbone.", (3,) + hw, arch, dilated=True)
    taps = stage_taps(is_cn)
    lines = [f"| index | in | kernel | expanded | out | SE (squeeze) | act | stride cfg | dw stride | dilation | "
             f"padding | residual | _is_cn | output at {hw[0]}x{hw[1]} |",
             "|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---|---|---|"]
    lines.append(f"| 0 | 3 | 3 | - | {conf[0][0]} | - | HS | 2 | 2 (full conv) | 1 | 1 | - | stem | "
                 f"{'×'.join(map(str, outs[0]))} |")
    for i, (cin, k, exp, cout, se, a, stride, dil) in enumerate(conf, start=1):
        sq = make_divisible(exp // 4, 8) if se else None
        tag = " (low tap)" if i == taps[-4] else ""
        lines.append(f"| {i} | {cin} | {k} | {exp}{'' if exp != cin else ' (no expand conv)'} | {cout} | "
                     f"{f'yes ({sq})' if se else 'no'} | {a} | {stride} | {1 if dil > 1 else stride} | {dil} | "
                     f"{(k - 1) // 2 * dil} | {'yes' if stride == 1 and cin == cout else 'no'} | "
                     f"{'yes' if stride > 1 else 'no'}{tag} | {'×'.join(map(str, outs[i]))} |")
    n = len(conf) + 1
    lines.append(f"| {n} | {conf[-1][3]} | 1 | - | {6 * conf[-1][3]} | - | HS | 1 | - | 1 | 0 | - | last (high tap) | "
                 f"{'×'.join(map(str, outs[n]))} |")
    return "\n".join(lines)


def build(name, classes, hw):
    return {
        "lraspp-mobilenet-v3-large": lambda: lraspp("large", classes, hw),
        "lraspp-mobilenet-v3-small": lambda: lraspp("small", classes, hw),
        "deeplabv3-mobilenet-v3-large": lambda: deeplabv3_mbv3(classes, hw),
        "deeplabv3-resnet50": lambda: deeplabv3_resnet50(classes, hw),
        "mobilenet-v3-large-imagenet": lambda: mbv3_imagenet("large"),
        "mobilenet-v3-small-imagenet": lambda: mbv3_imagenet("small"),
        "resnet50-imagenet": resnet50_imagenet,
    }[name]()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--classes", type=int, default=21)
    ap.add_argument("--input", default="512x1024")
    ap.add_argument("--keys")
    ap.add_argument("--layers")
    ap.add_argument("--blocks", choices=["large", "small"], help="compact MobileNetV3 block table (dilated=True)")
    args = ap.parse_args()
    hw = tuple(int(v) for v in args.input.lower().split("x"))
    if args.blocks:
        print(block_table(args.blocks, hw))
        return
    if args.keys:
        print(build(args.keys, args.classes, hw).key_table())
        return
    if args.layers:
        print(build(args.layers, args.classes, hw).layer_table())
        return
    bad = 0
    for name in ["lraspp-mobilenet-v3-large", "lraspp-mobilenet-v3-small", "deeplabv3-mobilenet-v3-large",
                 "deeplabv3-resnet50", "mobilenet-v3-large-imagenet", "mobilenet-v3-small-imagenet",
                 "resnet50-imagenet"]:
        spec = build(name, args.classes, hw)
        pub = PUBLISHED.get(name) if (args.classes == 21 or "imagenet" in name) else None
        seg = "imagenet" not in name
        print(spec.summary(pub, hw if seg else None))
        if hasattr(spec, "taps"):
            print(f"    taps: {spec.taps}")
        if name.startswith("deeplabv3"):
            aux = spec.prefix_params("aux_classifier.")
            print(f"    without aux_classifier: {spec.params - aux:,} parameters "
                  f"(aux {aux:,}); aux conv MACs "
                  f"{sum(m for p, m in spec.mac_rows if p.startswith('aux_classifier.')):,}")
        if pub is not None and pub != spec.params:
            bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
