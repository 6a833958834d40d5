"""PyTorch side of `sasnet benchmark engine`: times V-Net forward+backward in the same way as the C#
side (same layer list, batch 2, 16 filters, BatchNorm, cross-entropy against random labels).

Usage: python3 vnet_engine_benchmark.py THREADS REPEATS X,Y,Z [X,Y,Z ...]
Prints one JSON object per size: {"size": [..], "seconds": [...], "peak_rss_mb": ..}.
"""
import json
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def stage(cin, cout, layers):
    mods = []
    for i in range(layers):
        mods += [nn.Conv3d(cin if i == 0 else cout, cout, 3, padding=1), nn.BatchNorm3d(cout), nn.ReLU(inplace=True)]
    return nn.Sequential(*mods)


def resample(cin, cout, up):
    conv = nn.ConvTranspose3d(cin, cout, 2, stride=2) if up else nn.Conv3d(cin, cout, 2, stride=2)
    return nn.Sequential(conv, nn.BatchNorm3d(cout), nn.ReLU(inplace=True))


class VNet(nn.Module):
    def __init__(self, f=16):
        super().__init__()
        self.enc = nn.ModuleList([stage(1, f, 1), stage(2 * f, 2 * f, 2), stage(4 * f, 4 * f, 3), stage(8 * f, 8 * f, 3), stage(16 * f, 16 * f, 3)])
        self.down = nn.ModuleList([resample(f * 2 ** i, f * 2 ** (i + 1), False) for i in range(4)])
        self.up = nn.ModuleList([resample(f * 2 ** (4 - i), f * 2 ** (3 - i), True) for i in range(4)])
        self.dec = nn.ModuleList([stage(8 * f, 8 * f, 3), stage(4 * f, 4 * f, 3), stage(2 * f, 2 * f, 2), stage(f, f, 1)])
        self.head = nn.Conv3d(f, 2, 1)
        self.drop = nn.Dropout3d(0.5)

    def forward(self, x):
        skips = []
        for i in range(5):
            x = self.enc[i](x)
            if i < 4:
                skips.append(x)
                x = self.down[i](x)
        x = self.drop(x)
        for i in range(4):
            x = self.up[i](x) + skips[3 - i]
            x = self.dec[i](x)
        return self.head(self.drop(x))


def main():
    threads, repeats = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = VNet()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    for spec in sys.argv[3:]:
        size = [int(v) for v in spec.split(",")]
        x = torch.randn(2, 1, *size)
        y = torch.randint(0, 2, (2, *size))
        times = []
        for r in range(repeats + 1):
            start = time.perf_counter()
            loss = F.cross_entropy(net(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if r > 0:  # the first iteration warms up allocators and oneDNN primitives
                times.append(time.perf_counter() - start)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"size": size, "seconds": times, "peak_rss_mb": peak, "version": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
