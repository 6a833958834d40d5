"""Reference models for the C# kit's checkpoint-import test.

This script rebuilds, in PyTorch, the networks of the official SASNet code
(encoder + low-level decoder "decoder2" + high-level decoder "decoder3") and
the UA-MT/SASSNet V-Net.  Module attribute names are chosen so that the
state_dict() keys are exactly those of the official code; an official .pth
checkpoint therefore loads into these models by name, and a checkpoint written
here has the same layout as one from the official training script.

`write` saves a plain state dict (model.pth), a random input and the eval-mode
outputs as raw little-endian float32 (C order), plus a manifest.json, so that a
C# test can run its own forward on the same weights and compare to 1e-4.
`check` prints parameter counts and fails unless SASNet (f=16, 2 classes) has
11,520,904 parameters.

Tensors are laid out (B, C, X, Y, Z).  Run with Debian's /usr/bin/python3.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn


def conv_bn_relu(conv):
    return [conv, nn.BatchNorm3d(conv.out_channels), nn.ReLU(inplace=True)]


class ConvBlock(nn.Module):
    """n stages of 3x3x3 conv + BN + ReLU; keys conv.0, conv.1, conv.3, ..."""

    def __init__(self, n, cin, cout):
        super().__init__()
        layers = []
        for i in range(n):
            layers += conv_bn_relu(nn.Conv3d(cin if i == 0 else cout, cout, 3, padding=1))
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return self.conv(x)


class Down(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Sequential(*conv_bn_relu(nn.Conv3d(cin, cout, 2, stride=2, padding=0)))

    def forward(self, x):
        return self.conv(x)


class Up(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Sequential(*conv_bn_relu(nn.ConvTranspose3d(cin, cout, 2, stride=2, padding=0)))

    def forward(self, x):
        return self.conv(x)


def add_encoder(m, f):
    m.block_one, m.block_one_dw = ConvBlock(1, 1, f), Down(f, 2 * f)
    m.block_two, m.block_two_dw = ConvBlock(2, 2 * f, 2 * f), Down(2 * f, 4 * f)
    m.block_three, m.block_three_dw = ConvBlock(3, 4 * f, 4 * f), Down(4 * f, 8 * f)
    m.block_four, m.block_four_dw = ConvBlock(3, 8 * f, 8 * f), Down(8 * f, 16 * f)
    m.block_five = ConvBlock(3, 16 * f, 16 * f)
    m.dropout = nn.Dropout3d(p=0.5)


def encode(m, x):
    x1 = m.block_one(x)
    x2 = m.block_two(m.block_one_dw(x1))
    x3 = m.block_three(m.block_two_dw(x2))
    x4 = m.block_four(m.block_three_dw(x3))
    x5 = m.dropout(m.block_five(m.block_four_dw(x4)))  # identity in eval
    return x1, x2, x3, x4, x5


def add_decoder(m, f):
    m.block_five_up, m.block_six = Up(16 * f, 8 * f), ConvBlock(3, 8 * f, 8 * f)
    m.block_six_up, m.block_seven = Up(8 * f, 4 * f), ConvBlock(3, 4 * f, 4 * f)
    m.block_seven_up, m.block_eight = Up(4 * f, 2 * f), ConvBlock(2, 2 * f, 2 * f)
    m.block_eight_up, m.block_nine = Up(2 * f, f), ConvBlock(1, f, f)


def decode_from_six(m, x, x1, x2, x3):
    """Shared tail: block_six onwards, given the input to block_six."""
    x = m.block_six_up(m.block_six(x)) + x3
    x = m.block_seven_up(m.block_seven(x)) + x2
    x = m.block_eight_up(m.block_eight(x)) + x1
    return m.dropout(m.block_nine(x))  # identity in eval


class Encoder(nn.Module):
    def __init__(self, f):
        super().__init__()
        add_encoder(self, f)

    def forward(self, x):
        return encode(self, x)


class Decoder(nn.Module):
    """low=False: "Decoder3" (starts from x5); low=True: "Decoder2" (starts from
    x4, block_five_up unused but kept so that its keys are in the state dict)."""

    def __init__(self, f, classes, low):
        super().__init__()
        self.low = low
        add_decoder(self, f)
        self.out_conv = nn.Conv3d(f, classes, 1)
        self.out_conv2 = nn.Conv3d(f, classes, 1)
        self.tanh = nn.Tanh()
        self.dropout = nn.Dropout3d(p=0.5)

    def forward(self, feats):
        x1, x2, x3, x4, x5 = feats
        x = x4 if self.low else self.block_five_up(x5) + x4
        x9 = decode_from_six(self, x, x1, x2, x3)
        return self.tanh(self.out_conv(x9)), self.out_conv2(x9)


class SASNet(nn.Module):
    outputs = ("seg_high", "seg_low", "tanh_high", "tanh_low")

    def __init__(self, f=16, classes=2):
        super().__init__()
        self.encoder = Encoder(f)
        self.decoder2 = Decoder(f, classes, low=True)
        self.decoder3 = Decoder(f, classes, low=False)

    def forward(self, x):
        feats = self.encoder(x)
        tanh_low, seg_low = self.decoder2(feats)
        tanh_high, seg_high = self.decoder3(feats)
        return seg_high, seg_low, tanh_high, tanh_low


class VNet(nn.Module):
    """Flat V-Net (vnet.py of UA-MT/SASSNet): encoder + decoder blocks directly on the model."""
    outputs = ("logits",)

    def __init__(self, f=16, classes=2):
        super().__init__()
        add_encoder(self, f)
        add_decoder(self, f)
        self.out_conv = nn.Conv3d(f, classes, 1)

    def forward(self, x):
        x1, x2, x3, x4, x5 = encode(self, x)
        x9 = decode_from_six(self, self.block_five_up(x5) + x4, x1, x2, x3)
        return (self.out_conv(x9),)


MODELS = {"sasnet": SASNet, "vnet": VNet}


def count(model):
    return sum(p.numel() for p in model.parameters())


def randomize_batchnorm(model):
    with torch.no_grad():
        for bn in (m for m in model.modules() if isinstance(m, nn.BatchNorm3d)):
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.normal_().mul_(0.1)
            bn.running_mean.normal_().mul_(0.1)
            bn.running_var.uniform_(0.5, 1.5)
            bn.num_batches_tracked.fill_(int(torch.randint(1, 1000, ())))


def write_f32(path, t):
    t.detach().cpu().contiguous().numpy().astype("<f4").tofile(path)


def cmd_write(a):
    torch.manual_seed(a.seed)
    model = MODELS[a.model](a.filters, a.classes)
    randomize_batchnorm(model)
    os.makedirs(a.out, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(a.out, "model.pth"))
    x = torch.randn(1, 1, *a.size)
    write_f32(os.path.join(a.out, "input.f32"), x)
    model.eval()
    with torch.no_grad():
        outs = model(x)
    shapes = {}
    for name, t in zip(model.outputs, outs):
        write_f32(os.path.join(a.out, name + ".f32"), t)
        shapes[name] = list(t.shape)
    manifest = {"model": a.model, "filters": a.filters, "classes": a.classes,
                "input_shape": list(x.shape), "outputs": shapes,
                "parameters": count(model), "state_dict_keys": len(model.state_dict()),
                "torch_version": torch.__version__}
    with open(os.path.join(a.out, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=2)
    print(json.dumps(manifest))


def cmd_check(_):
    n_sas, n_vnet = count(SASNet(16, 2)), count(VNet(16, 2))
    print(f"sasnet f=16 classes=2 parameters: {n_sas}")
    print(f"vnet   f=16 classes=2 parameters: {n_vnet}")
    if n_sas != 11520904:
        print("FAIL: expected 11520904 parameters for SASNet", file=sys.stderr)
        return 1
    print("OK")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write", help="write checkpoint, input and eval outputs")
    w.add_argument("--model", choices=sorted(MODELS), required=True)
    w.add_argument("--filters", type=int, default=16)
    w.add_argument("--classes", type=int, default=2)
    w.add_argument("--size", type=int, nargs=3, metavar=("X", "Y", "Z"), required=True)
    w.add_argument("--seed", type=int, default=0)
    w.add_argument("--out", required=True)
    sub.add_parser("check", help="verify parameter counts")
    a = p.parse_args()
    start = time.time()
    rc = cmd_write(a) if a.cmd == "write" else cmd_check(a)
    print(f"elapsed {time.time() - start:.2f}s", file=sys.stderr)
    return rc or 0


if __name__ == "__main__":
    sys.exit(main())
