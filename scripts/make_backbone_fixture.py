#!/usr/bin/env python3
"""Writes the tiny TorchScript backbone the tests load (src/test/resources/backbones/mini2stage.pt).

It stands in for a torchvision body (a resnet without avgpool/fc): a stem and two stages whose output is
the last feature map. Random weights, about 30 KB; it is not a pretrained network. It is scripted rather
than traced so that its BatchNorm layers follow the module's train/eval mode (tracing bakes the mode in),
which lets the tests check that SmearScan keeps a TorchScript body's running statistics fixed.

    /usr/bin/python3 scripts/make_backbone_fixture.py
"""
import pathlib

import torch
from torch import nn


def conv_bn(cin, cout, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


def main():
    torch.manual_seed(0)
    body = nn.Sequential()
    body.add_module("stem", conv_bn(3, 8, 2))
    body.add_module("layer1", conv_bn(8, 12, 2))
    body.add_module("layer2", conv_bn(12, 16, 2))
    body.eval()
    # a few batches in training mode give running statistics that differ from the 0/1 defaults
    body.train()
    with torch.no_grad():
        for _ in range(3):
            body(torch.rand(8, 3, 32, 32))
    body.eval()
    traced = torch.jit.script(body)
    out = pathlib.Path(__file__).resolve().parent.parent / "src/test/resources/backbones/mini2stage.pt"
    out.parent.mkdir(parents=True, exist_ok=True)
    traced.save(str(out))
    print(f"wrote {out} ({out.stat().st_size} bytes); output for 32 px: {tuple(traced(torch.rand(2, 3, 32, 32)).shape)}")


if __name__ == "__main__":
    main()
