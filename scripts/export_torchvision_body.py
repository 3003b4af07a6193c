#!/usr/bin/env python3
"""Writes a torchvision ResNet body as a TorchScript file for `smearscan train --backbone FILE`.

The body is the network without its average pool and classifier, with torchvision's module names (conv1,
bn1, layer1 ... layer4), so SmearScan's layer groups are fastai's: stem + layer1-2, layer3-4, head.
It is scripted rather than traced, so its BatchNorm layers follow train/eval mode.

    /usr/bin/python3 scripts/export_torchvision_body.py --arch resnet34 --out resnet34.pt
    /usr/bin/python3 scripts/export_torchvision_body.py --arch resnet34 --weights resnet34-b627a593.pth --out resnet34.pt

Without --weights the body has torchvision's random initialisation: it exercises the tutorial's code path
but is no pretrained network. With --weights (a torchvision state dict, e.g. the ImageNet file downloaded
on a machine that is online) it is the pretrained body the tutorial fine-tunes. Needs Debian's
python3-torch and python3-torchvision; nothing is downloaded.
"""
import argparse
import collections
import pathlib

import torch
import torchvision


def body(arch, weights):
    net = getattr(torchvision.models, arch)()
    if weights:
        net.load_state_dict(torch.load(weights, map_location="cpu"))
    names = ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4"]
    return torch.nn.Sequential(collections.OrderedDict((n, getattr(net, n)) for n in names))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", default="resnet34", choices=["resnet18", "resnet34", "resnet50"])
    p.add_argument("--weights", help="a torchvision state dict (.pth) to load; random initialisation without it")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    torch.manual_seed(0)
    module = torch.jit.script(body(a.arch, a.weights).eval())
    out = pathlib.Path(a.out)
    tmp = out.with_name(out.name + ".part")
    module.save(str(tmp))
    tmp.replace(out)  # never leave a half-written file under the final name
    shape = tuple(module(torch.rand(1, 3, 128, 128)).shape)
    print(f"wrote {out} ({out.stat().st_size} bytes), {a.arch} body, output for 128 px: {shape}")


if __name__ == "__main__":
    main()
