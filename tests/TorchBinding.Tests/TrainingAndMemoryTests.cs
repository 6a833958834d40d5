using System.Diagnostics;
using TorchBinding;
using static TorchBinding.torch;
using F = TorchBinding.torch.nn.functional;

namespace TorchBinding.Tests;

[Collection(NativeMemoryCollection.Name)]
public class TrainingAndMemoryTests
{
    // A toy segmentation task: the foreground is the voxels brighter than their neighbourhood mean.
    private static (Tensor image, Tensor label) ToyBatch(int seed)
    {
        manual_seed((ulong)seed);
        var image = randn(4, 1, 8, 8, 8);
        var label = image.gt(0.3).squeeze(1).to(ScalarType.Int64);
        return (image, label);
    }

    private static nn.Sequential ToyNet() => new(
        new nn.Conv3d(1, 8, 3, padding: 1), new nn.BatchNorm3d(8), new nn.ReLU(inplace: true),
        new nn.Conv3d(8, 8, 2, stride: 2), new nn.BatchNorm3d(8), new nn.ReLU(inplace: true),
        new nn.ConvTranspose3d(8, 8, 2, stride: 2), new nn.BatchNorm3d(8), new nn.ReLU(inplace: true),
        new nn.Conv3d(8, 2, 1));

    private static double[] Train(int steps)
    {
        manual_seed(1234);
        using var net = ToyNet();
        using var sgd = new optim.SGD(net.parameters(), lr: 0.05, momentum: 0.9);
        var losses = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var (image, label) = ToyBatch(i % 4);
            var loss = F.cross_entropy(net.forward(image), label);
            sgd.zero_grad();
            loss.backward();
            sgd.step();
            losses[i] = loss.ToDouble();
        }
        return losses;
    }

    [Fact]
    public void TinyNetworkLearnsToySegmentationDeterministically()
    {
        set_num_threads(1); // bitwise reproducibility of reductions
        var first = Train(120);
        var second = Train(120);
        Assert.Equal(first, second);
        Assert.True(first[0] > 0.5, $"initial loss {first[0]}");
        Assert.True(first[^4..].Average() < 0.2, $"final loss {first[^4..].Average()} (start {first[0]})");
    }

    [Fact]
    public void ScopesFreeEveryIntermediateAndMemoryStaysFlat()
    {
        long baseline = SettledLiveCount();
        manual_seed(7);
        using (var net = ToyNet())
        using (var sgd = new optim.SGD(net.parameters(), lr: 0.01, momentum: 0.9))
        {
            long afterModel = SettledLiveCount();
            long rssAfterWarmup = 0;
            for (int i = 0; i < 300; i++)
            {
                using var scope = NewDisposeScope();
                var (image, label) = ToyBatch(i);
                var loss = F.cross_entropy(net.forward(image), label);
                sgd.zero_grad();
                loss.backward();
                sgd.step();
                if (i == 50) rssAfterWarmup = CurrentRss();
            }
            // Only the model's parameters/buffers and the optimiser's momentum buffers remain.
            Assert.Equal(afterModel, SettledLiveCount());
            long growth = CurrentRss() - rssAfterWarmup;
            Assert.True(growth < 20L << 20, $"resident memory grew by {growth >> 20} MiB over 250 steps");
        }
        Assert.Equal(baseline, SettledLiveCount());
    }

    [Fact]
    public void NestedScopesAndMovingTensorsOut()
    {
        long baseline = SettledLiveCount();
        Tensor kept;
        using (var outer = NewDisposeScope())
        {
            using (var inner = NewDisposeScope())
            {
                var a = ones(3);
                kept = (a * 2).MoveToOuterDisposeScope();
                Assert.Equal(1, inner.OwnedCount); // the product moved out
            }
            Assert.False(kept.IsDisposed);
            Assert.Equal(new float[] { 2, 2, 2 }, kept.ToArray<float>());
        }
        Assert.True(kept.IsDisposed);
        Assert.Equal(baseline, SettledLiveCount());

        Tensor detached;
        using (NewDisposeScope()) detached = ones(2).DetachFromDisposeScope();
        Assert.False(detached.IsDisposed);
        detached.Dispose();
        Assert.Equal(baseline, SettledLiveCount());
    }

    // The count is process-wide: tensors that earlier tests left to the finaliser may be freed at any moment,
    // so let pending finalisers run before each reading.
    private static long SettledLiveCount()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return live_tensor_count;
    }

    private static long CurrentRss()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
