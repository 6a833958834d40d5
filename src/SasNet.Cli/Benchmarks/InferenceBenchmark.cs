using System.Diagnostics;
using SasNet.Experiments;
using SasNet.Inference;
using SasNet.Training;
using static TorchSharp.torch;

namespace SasNet.Cli.Benchmarks;

/// <summary>
/// <c>sasnet benchmark inference</c>: sliding-window prediction of one Quick-scale phantom test case (about 64×64×48)
/// with a Quick SASNet (8 filters, 48×48×32 windows, stride 16/16/8, both branches averaged), as validation and
/// evaluation run it. The weights are the freshly initialised ones: the time does not depend on them. Median of the
/// repeats after one warm-up.
/// </summary>
internal static class InferenceBenchmark
{
    public static int Run(TextWriter output, int repeats, int threads)
    {
        set_num_threads(threads);
        var config = ExperimentConfig.Create(TrainingMethod.SasNet, ExperimentScale.Quick);
        var data = ExperimentData.Prepare(config, KitPaths.CacheRoot());
        var image = data.Split.TestCases().Load(0).Image;
        using var method = TrainingMethods.Create(config);
        method.Network.eval();
        var predictor = method.CreatePredictor(2);
        var times = new List<double>();
        SlidingWindowResult? result = null;
        for (int r = 0; r <= repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            result = predictor.Predict(image, data.Window);
            if (r > 0) times.Add(clock.Elapsed.TotalSeconds);
        }
        output.WriteLine($"sliding-window SASNet prediction ({config.Model.BaseFilters} filters), case {image.Shape.X}×{image.Shape.Y}×{image.Shape.Z}, " +
            $"{result!.Plan.WindowCount} windows of {config.Data.PatchSize.X}×{config.Data.PatchSize.Y}×{config.Data.PatchSize.Z} at stride " +
            $"{config.Evaluation.Stride.X}/{config.Evaluation.Stride.Y}/{config.Evaluation.Stride.Z}, {threads} threads, libtorch {__version__}");
        output.WriteLine($"  median {BenchmarkSupport.Median(times):F3} s per case over {repeats} repeats (min {times.Min():F3} s); peak RSS {BenchmarkSupport.PeakResidentMiB():F0} MiB");
        return 0;
    }
}
