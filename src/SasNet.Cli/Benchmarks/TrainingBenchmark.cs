using System.Diagnostics;
using SasNet.Data.Sampling;
using SasNet.Experiments;
using SasNet.Training;
using static TorchSharp.torch;

namespace SasNet.Cli.Benchmarks;

/// <summary>
/// <c>sasnet benchmark training</c>: SASNet training iterations (batch 4 = 2 labeled + 2 unlabeled, SAR, VVE,
/// L_seg + L_plc + L_src with the SDM) at a scale's crop and filters, timed per phase: data (waiting for the
/// prefetching loader), forward, losses, SAR bookkeeping, SDM, backward with the optimiser step.
/// </summary>
internal static class TrainingBenchmark
{
    public static int Run(TextWriter output, ExperimentScale scale, int iterations, int threads, TrainingMethod method)
    {
        set_num_threads(threads);
        var defaults = ExperimentConfig.Create(method, scale);
        var config = defaults with { Optimisation = defaults.Optimisation with { Iterations = iterations + 1 } };
        // The paper scale on phantoms uses LA-sized phantoms (the real LA data needs the user's copy).
        var data = ExperimentData.Prepare(config, KitPaths.CacheRoot());
        using var training = TrainingMethods.Create(config);
        var pipeline = new PatchPipeline(data.Split.TrainingCases(), data.Augmentation);
        var sampler = Trainer.CreateSampler(config, data.Split);
        using var loader = new BatchLoader(pipeline, sampler, config.Seed, prefetch: 2);
        output.WriteLine($"{method} training, {scale} scale: crop {config.Data.PatchSize}, {config.Model.BaseFilters} filters, batch {config.Data.BatchSize} " +
            $"({config.Data.LabeledBatchSize} labeled), {threads} threads, libtorch {__version__}; {iterations} timed iterations after 1 warm-up");
        if (SasNet.Runtime.TorchRuntime.OneDnnIsaNote.Length > 0) output.WriteLine($"  oneDNN: {SasNet.Runtime.TorchRuntime.OneDnnIsaNote}");
        var totals = new Dictionary<string, double>();
        var perIteration = new List<double>();
        training.Network.train();
        for (int i = 0; i <= iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            var batch = loader.Next();
            double wait = clock.Elapsed.TotalSeconds;
            using (NewDisposeScope()) training.Step(batch, i + 1);
            if (i == 0) continue; // warm-up: allocator and oneDNN primitive caches
            perIteration.Add(clock.Elapsed.TotalSeconds);
            totals["data"] = totals.GetValueOrDefault("data") + wait;
            foreach (var (phase, seconds) in training.LastStepTimings) totals[phase] = totals.GetValueOrDefault(phase) + seconds;
        }
        double mean = perIteration.Average();
        output.WriteLine($"  per iteration: mean {mean:F3} s, median {BenchmarkSupport.Median(perIteration):F3} s, min {perIteration.Min():F3} s");
        foreach (var (phase, seconds) in totals.OrderByDescending(t => t.Value))
            output.WriteLine($"  {phase,-14} {seconds / iterations,8:F3} s  ({100 * seconds / perIteration.Sum(),5:F1} %)");
        output.WriteLine($"  peak RSS {BenchmarkSupport.PeakResidentMiB():F0} MiB");
        return 0;
    }
}
