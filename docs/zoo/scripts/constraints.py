#!/usr/bin/env python3
"""Which input sizes each zoo network accepts: every side length 1..N is run through the shape arithmetic of the
spec builders (torchvision_seg, enet_spec, espnet_spec) and of prototxt.py for the Caffe models (concatenations,
additions and crops must line up, and the output must have the input's size). Square inputs (the rules are per
axis). Prints, per network, the accepted sizes as a rule ("multiples of 8", ...) checked against the whole range.

usage: python3 constraints.py [--max 512] [--xilinx DIR] [--fcn FCN.deploy.prototxt]
  --xilinx: folder holding Segment/DNNDK/<net>/float.prototxt of 695kede/xilinx-edge-ai docs/Caffe-Segmentation
"""
import argparse
import os

import enet_spec
import espnet_spec
import prototxt
import torchvision_seg


def accepted(fn, n_max):
    ok = []
    for n in range(1, n_max + 1):
        try:
            if fn(n):
                ok.append(n)
        except (ValueError, ZeroDivisionError, KeyError):
            pass
    return ok


def describe(ok, n_max):
    if not ok:
        return "none"
    if ok == list(range(ok[0], n_max + 1)):
        return f"every size >= {ok[0]}"
    for m in (2, 4, 8, 16, 32, 64):
        if ok == list(range(m, n_max + 1, m)):
            return f"multiples of {m} only"
    if len(ok) > 1:
        step = ok[1] - ok[0]
        if ok == list(range(ok[0], n_max + 1, step)):
            return f"multiples of {step} from {ok[0]}"
    return f"{len(ok)} sizes: {ok[:12]}..."


def caffe(path, n):
    with open(path) as f:
        net = prototxt.Net(f.read(), (n, n), phase="TRAIN").run()
    last = [r for r in net.rows if r[5] is not None][-1][5]
    return tuple(last[2:]) == (n, n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max", type=int, default=512)
    ap.add_argument("--xilinx")
    ap.add_argument("--fcn")
    ap.add_argument("--markdown", action="store_true", help="wrap the output in a code block")
    a = ap.parse_args()
    nets = {
        "lraspp-mobilenet-v3-large": lambda n: torchvision_seg.lraspp("large", 21, (n, n)) is not None,
        "lraspp-mobilenet-v3-small": lambda n: torchvision_seg.lraspp("small", 21, (n, n)) is not None,
        "deeplabv3-mobilenet-v3-large": lambda n: torchvision_seg.deeplabv3_mbv3(21, (n, n)) is not None,
        "deeplabv3-resnet50": lambda n: torchvision_seg.deeplabv3_resnet50(21, (n, n)) is not None,
        "enet": lambda n: enet_spec.enet_paper(19, (n, n)) is not None,
        "enet (encoder stage, 1/8 output)": lambda n: enet_spec.enet_paper(19, (n, n), True) is not None,
        "enet-relu-deconv": lambda n: enet_spec.enet_tutorial(19, (n, n)) is not None,
        "espnet": lambda n: espnet_spec.espnet(20, 2, 8, (n, n)) is not None,
        "espnet-c (1/8 output)": lambda n: espnet_spec.espnet_c(20, 2, 8, (n, n)) is not None,
    }
    if a.xilinx:
        for name, folder in (("fpn", "FPN"), ("unet-full", "unet-full"), ("unet-lite", "unet-lite"),
                             ("enet-relu-deconv (prototxt)", "enet"), ("espnet tutorial (prototxt)", "espnet")):
            path = os.path.join(a.xilinx, "Segment", "DNNDK", folder, "float.prototxt")
            nets[name] = lambda n, path=path: caffe(path, n)
    if a.fcn:
        nets["fcn-alexnet"] = lambda n: caffe(a.fcn, n)
    if a.markdown:
        print("```")
    for name, fn in nets.items():
        print(f"{name:36s} {describe(accepted(fn, a.max), a.max)}  (checked 1..{a.max})")
    if a.markdown:
        print("```")


if __name__ == "__main__":
    main()
