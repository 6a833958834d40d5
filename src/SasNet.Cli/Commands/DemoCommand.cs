using System.CommandLine;
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasNet.Cli.Commands;

/// <summary>
/// <c>sasnet demo</c>: trains a tiny 3D encoder–decoder from C# on a synthetic "bright blob"
/// segmentation task and prints the loss going down: the shortest proof that the engine works.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "training steps", DefaultValueFactory = _ => 150 }.AtLeast(1);
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => 1337 };
        var command = new Command("demo", "Train a tiny 3D segmentation network from C# and print the loss going down.") { steps, threads, seed };
        command.SetAction(parse => Run(Console.Out, parse.GetValue(steps), parse.GetValue(threads), parse.GetValue(seed)));
        return command;
    }

    public static int Run(TextWriter output, int steps, int threads, int seed)
    {
        set_num_threads(threads);
        manual_seed(seed);
        output.WriteLine($"libtorch {__version__}, {get_num_threads()} threads, device cpu");
        using var net = nn.Sequential(
            nn.Conv3d(1, 8, 3, padding: 1), nn.BatchNorm3d(8), nn.ReLU(inplace: true),
            nn.Conv3d(8, 16, 2, stride: 2), nn.BatchNorm3d(16), nn.ReLU(inplace: true),
            nn.Conv3d(16, 16, 3, padding: 1), nn.BatchNorm3d(16), nn.ReLU(inplace: true),
            nn.ConvTranspose3d(16, 8, 2, stride: 2), nn.BatchNorm3d(8), nn.ReLU(inplace: true),
            nn.Conv3d(8, 2, 1));
        using var optimizer = optim.SGD(net.parameters(), 0.05, momentum: 0.9, weight_decay: 1e-4);
        output.WriteLine($"network: {net.parameters().Sum(p => p.numel()):N0} parameters; task: segment smooth bright blobs in noise (batch 4, 24³)");
        var clock = Stopwatch.StartNew();
        double first = double.NaN, last = double.NaN;
        for (int step = 1; step <= steps; step++)
        {
            using var scope = NewDisposeScope();
            var (image, label) = BlobBatch(4, 24);
            var logits = net.call(image);
            var loss = F.cross_entropy(logits, label);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (step == 1) first = last;
            if (step == 1 || step % Math.Max(1, steps / 10) == 0 || step == steps)
                output.WriteLine($"step {step,5}  loss {last:F4}  ({clock.Elapsed.TotalSeconds:F1} s)");
        }
        output.WriteLine($"loss went from {first:F4} to {last:F4}");
        return last < first ? 0 : 1;
    }

    // Smooth random fields: a voxel is foreground where the smoothed noise is high; the image is the
    // indicator blurred and corrupted by noise, so the net must learn a spatial filter.
    private static (Tensor image, Tensor label) BlobBatch(int batch, int size)
    {
        var foreground = F.interpolate(randn([batch, 1, size / 4, size / 4, size / 4]), [size, size, size], mode: InterpolationMode.Trilinear, align_corners: false).gt(0.4);
        var image = foreground.to(ScalarType.Float32).add(randn([batch, 1, size, size, size]), alpha: 0.6);
        return (image, foreground.squeeze(1).to(ScalarType.Int64));
    }
}
