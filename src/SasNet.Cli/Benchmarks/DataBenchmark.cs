using System.Diagnostics;
using System.Globalization;
using SasNet.Data.Datasets;
using SasNet.Data.IO;
using SasNet.Data.Phantoms;
using SasNet.Data.Sampling;
using SasNet.Data.Transforms;
using SasNet.Geometry;

namespace SasNet.Cli.Benchmarks;

/// <summary>
/// Data-layer benchmark: HDF5 load throughput of an LA-sized case (gzip-chunked like the real LA files) and the
/// time to build one training batch (4 samples, 112×112×80 crops, VVE) with and without prefetching.
/// Uses only SasNet.Data, SasNet.Geometry and the BCL.
/// </summary>
public static class DataBenchmark
{
    /// <summary>Runs the full benchmark (paper-scale phantoms, 112×112×80 crops, 8 batches per mode) and prints the results.</summary>
    /// <returns>0 on success, 1 when the HDF5 library is missing.</returns>
    public static int Run(TextWriter output) => Run(output, PhantomScale.Paper, new Shape3(112, 112, 80), batches: 8);

    /// <summary>Runs the benchmark at another scale (the tests use a quick one).</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="scale">Phantom scale of the benchmark cases.</param>
    /// <param name="patch">Crop size.</param>
    /// <param name="batches">Batches timed per mode.</param>
    public static int Run(TextWriter output, PhantomScale scale, Shape3 patch, int batches)
    {
        ArgumentNullException.ThrowIfNull(output);
        var inv = CultureInfo.InvariantCulture;
        if (!Hdf5File.IsAvailable)
        {
            output.WriteLine("data benchmark: the HDF5 C library is missing (apt-get install libhdf5-dev, or run environment/setup.sh)");
            return 1;
        }
        var root = Path.Combine(Path.GetTempPath(), "sasnet-data-benchmark-" + Environment.ProcessId);
        try
        {
            output.WriteLine($"data benchmark ({Environment.ProcessorCount} cores, HDF5 from {Hdf5File.LibraryLocation})");
            var watch = Stopwatch.StartNew();
            var info = PhantomDataset.Generate(root, scale, trainCount: 6, testCount: 0, seed: 1337);
            output.WriteLine(string.Format(inv, "  generated 6 {0} phantom cases in {1:F2} s", scale, watch.Elapsed.TotalSeconds));

            // 1. Load throughput of one case: image float32 + label uint8, gzip level 4, 64×64×32 chunks.
            var path = Path.Combine(root, info.TrainIds[0], PhantomDataset.CaseFileName);
            var (image, label) = Hdf5Case.Read(path); // warm-up (page cache, library init)
            double megabytes = (image.Data.Length * 4.0 + label.Data.Length) / 1e6;
            var times = new List<double>();
            for (int i = 0; i < 5; i++)
            {
                watch.Restart();
                Hdf5Case.Read(path);
                times.Add(watch.Elapsed.TotalSeconds);
            }
            double median = Median(times);
            output.WriteLine(string.Format(inv, "  load {0} (image+label {1:F1} MB, file {2:F1} MB gzip): median {3:F1} ms → {4:F0} MB/s decoded",
                image.Shape, megabytes, new FileInfo(path).Length / 1e6, median * 1000, megabytes / median));

            // 2. Batches: 2 labeled + 2 unlabeled, crop + VVE, cases read from disk each time (no cache).
            var split = DatasetCatalog.Phantoms(root).Split(labeledCount: 2, validationCount: 0);
            foreach (var (name, view) in new[] { ("Permute", ViewVariance.Permute), ("FourierPermute", ViewVariance.FourierPermute) })
            {
                var pipeline = new PatchPipeline(split.TrainingCases(cacheInMemory: false), new AugmentationOptions(patch, View: view));
                int count = view == ViewVariance.FourierPermute ? Math.Max(2, batches / 4) : batches;
                double sync = TimeBatches(pipeline, split, prefetch: 0, count, stepMilliseconds: 0);
                output.WriteLine(string.Format(inv, "  batch 4×{0} + VVE {1}, no prefetch: {2:F0} ms per batch", patch, name, sync * 1000));
                if (view != ViewVariance.Permute) continue;
                double ahead = TimeBatches(pipeline, split, prefetch: 2, count, stepMilliseconds: 0);
                output.WriteLine(string.Format(inv, "  batch 4×{0} + VVE {1}, prefetch 2: {2:F0} ms per batch (throughput)", patch, name, ahead * 1000));
                // With a simulated training step, prefetch hides the loading: what the training loop waits for.
                int step = (int)Math.Ceiling(sync * 1000);
                double waitSync = TimeBatches(pipeline, split, prefetch: 0, count, step) - step / 1000.0;
                double waitAhead = TimeBatches(pipeline, split, prefetch: 2, count, step) - step / 1000.0;
                output.WriteLine(string.Format(inv, "  with a {0} ms training step: loader wait {1:F0} ms per batch without prefetch, {2:F0} ms with prefetch 2",
                    step, Math.Max(waitSync, 0) * 1000, Math.Max(waitAhead, 0) * 1000));
            }
            return 0;
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Mean seconds per batch over <paramref name="count"/> batches, after one warm-up batch.</summary>
    private static double TimeBatches(PatchPipeline pipeline, SemiSupervisedSplit split, int prefetch, int count, int stepMilliseconds)
    {
        var sampler = new TwoStreamBatchSampler(split.LabeledIndices, split.UnlabeledIndices, 4, 2, 1337);
        using var loader = new BatchLoader(pipeline, sampler, seed: 1, prefetch);
        loader.Next();
        if (stepMilliseconds > 0) Thread.Sleep(stepMilliseconds);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            loader.Next();
            if (stepMilliseconds > 0) Thread.Sleep(stepMilliseconds); // stands in for forward/backward
        }
        return watch.Elapsed.TotalSeconds / count;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
