using System.Diagnostics;
using SasNet.Models;
using SasNet.Training;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasNet.Cli.Benchmarks;

/// <summary>
/// <c>sasnet benchmark memory</c>: a loop of SASNet training steps (both branches, segmentation and
/// regression losses, SGD with momentum and weight decay) with every step in a <see cref="TrainingStepScope"/>, printing resident memory and
/// live native tensors as it goes. Flat numbers after the warm-up show that nothing leaks. With
/// <c>--plain-scope</c> each step runs in a bare dispose scope instead, which shows what the trainer's scope
/// prevents: resident memory that grows until the runtime happens to collect TorchSharp's temporary scalars.
/// </summary>
internal static class MemoryBenchmark
{
    public static int Run(TextWriter output, int steps, bool plainScope)
    {
        set_num_threads(Environment.ProcessorCount);
        manual_seed(1);
        using var model = new SasNetModel(ModelConfig.SasNet with { BaseFilters = 8 });
        ChannelsLast.ApplyWhereFaster(model, CPU); // as the trainer lays it out
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9, weight_decay: 1e-4);
        output.WriteLine($"SASNet (8 filters) training steps, batch 4 at 32×32×32; {steps} steps, each in " +
            (plainScope ? "a plain dispose scope" : "the trainer's TrainingStepScope"));
        // The optimiser creates its momentum buffers at the first step: the count after it is the baseline.
        long tensorsAfterFirstStep = 0;
        output.WriteLine($"{"step",8} {"RSS MiB",9} {"live tensors",13} {"s/step",8}");
        var clock = Stopwatch.StartNew();
        double rssAtWarmup = 0, maxAfterWarmup = 0;
        int report = Math.Max(1, steps / 10);
        for (int step = 1; step <= steps; step++)
        {
            using (plainScope ? NewDisposeScope() : (IDisposable)TrainingStepScope.Begin())
            {
                var image = randn([4, 1, 32, 32, 32]);
                var label = image.gt(0.5).squeeze(1);
                var labelFloat = label.to(ScalarType.Float32);
                var output_ = model.call(image);
                Tensor total = zeros([]);
                foreach (var branch in output_.Branches)
                {
                    var foreground = F.softmax(branch.Logits, 1).select(1, 1);
                    var dice = 1 - (2 * (foreground * labelFloat).sum() + 1e-8) / (foreground.sum() + labelFloat.sum() + 1e-8);
                    total = total + dice + F.mse_loss(branch.SdmPrediction(), labelFloat * 2 - 1);
                }
                optimizer.zero_grad();
                total.backward();
                optimizer.step();
            }
            if (step == 1)
            {
                tensorsAfterFirstStep = SettledTensorCount();
                output.WriteLine($"live tensors held by model and optimiser after the first step: {tensorsAfterFirstStep}");
            }
            double rss = BenchmarkSupport.ResidentMiB();
            if (step == Math.Min(50, steps / 2)) rssAtWarmup = rss;
            if (rssAtWarmup > 0) maxAfterWarmup = Math.Max(maxAfterWarmup, rss);
            if (step % report == 0 || step == 1)
                output.WriteLine($"{step,8} {rss,9:F0} {Tensor.TotalCount,13} {clock.Elapsed.TotalSeconds / step,8:F3}");
        }
        long leaked = SettledTensorCount() - tensorsAfterFirstStep;
        output.WriteLine($"after warm-up (step {Math.Min(50, steps / 2)}): RSS {rssAtWarmup:F0} MiB, highest later {maxAfterWarmup:F0} MiB (+{maxAfterWarmup - rssAtWarmup:F0} MiB); tensors left over from the steps: {leaked}");
        return leaked == 0 ? 0 : 1;
    }

    // Tensors left to the garbage collector are freed by their finalisers: let them run before counting.
    private static long SettledTensorCount()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Tensor.TotalCount;
    }
}
