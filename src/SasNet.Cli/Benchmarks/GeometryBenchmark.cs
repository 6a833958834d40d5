using System.Diagnostics;
using System.Globalization;
using SasNet.Geometry;

namespace SasNet.Cli.Benchmarks;

/// <summary>
/// Times the geometry layer on phantom-like masks: the normalised SDM of a batch of four
/// 112×112×80 masks (the L_src target of one SASNet training step, docs/method.md §5.4) and HD95/ASD of one
/// case (docs/method.md §8). When /usr/bin/python3 with scipy and skimage is present, the same work is timed
/// in Python by tests/reference/geometry_reference.py (time measured inside the script, so
/// interpreter start-up is excluded) and the speed ratio is printed.
/// </summary>
public static class GeometryBenchmark
{
    private const int Batch = 4;
    private static readonly Shape3 Shape = new(112, 112, 80);

    /// <summary>Runs the benchmark, writing a report to <paramref name="output"/>; returns 0 on success.</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="repeats">Timed repetitions per measurement (the best is reported); at least 1.</param>
    public static int Run(TextWriter output, int repeats = 3)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (repeats < 1) throw new ArgumentException($"repeats must be at least 1, got {repeats}", nameof(repeats));

        var truth = PhantomMasks(seed: 1337);
        var prediction = PhantomMasks(seed: 1337, perturbation: 0.12);
        output.WriteLine($"Geometry benchmark: {Batch} phantom masks of {Shape}, {Environment.ProcessorCount} cores, best of {repeats}");
        output.WriteLine($"  foreground fraction per mask: {string.Join(", ", Enumerable.Range(0, Batch).Select(b => Fraction(truth, b).ToString("P1", CultureInfo.InvariantCulture)))}");

        var sdm = new float[Batch * Shape.Count];
        SignedDistanceMap.ComputeBatch(truth, Batch, Shape, Spacing3.Unit, sdm);     // warm-up (JIT, thread pool)
        double sdmSeconds = Best(repeats, () => SignedDistanceMap.ComputeBatch(truth, Batch, Shape, Spacing3.Unit, sdm));

        var caseShape = Shape.Count;
        CaseMetrics metrics = SegmentationMetrics.Evaluate(prediction.AsSpan(0, caseShape), truth.AsSpan(0, caseShape), Shape);
        double metricsSeconds = Best(repeats, () => metrics = SegmentationMetrics.Evaluate(prediction.AsSpan(0, caseShape), truth.AsSpan(0, caseShape), Shape));

        output.WriteLine($"  SDM of the batch (C#):               {Milliseconds(sdmSeconds)}");
        output.WriteLine($"  Dice/HD95/ASD of one case (C#):      {Milliseconds(metricsSeconds)}   (Dice {metrics.Dice:F4}, HD95 {metrics.Hd95:F3}, ASD {metrics.Asd:F3} voxels)");

        var (pythonSdm, pythonMetrics, whyNot) = TimePython(truth, prediction, repeats);
        if (whyNot is not null)
        {
            output.WriteLine($"  scipy+skimage comparison skipped: {whyNot}");
            return whyNot.StartsWith("reference script failed", StringComparison.Ordinal) ? 1 : 0;
        }
        output.WriteLine($"  SDM of the batch (scipy+skimage):    {Milliseconds(pythonSdm)}   → C# is {pythonSdm / sdmSeconds:F1}× faster (target ≥ 3×)");
        output.WriteLine($"  Dice/HD95/ASD of one case (scipy):   {Milliseconds(pythonMetrics)}   → C# is {pythonMetrics / metricsSeconds:F1}× faster");
        return 0;
    }

    /// <summary>
    /// Deterministic organ-like masks, (B, X, Y, Z) C order: a union of three ellipsoids whose surface is
    /// bent by low-frequency waves. A nonzero <paramref name="perturbation"/> changes the waves, which
    /// gives a plausible imperfect "prediction" of the same organ.
    /// </summary>
    private static byte[] PhantomMasks(int seed, double perturbation = 0)
    {
        var masks = new byte[Batch * Shape.Count];
        for (int b = 0; b < Batch; b++)
        {
            var random = new Random(seed + b);
            var lobes = Enumerable.Range(0, 3).Select(_ => (
                Centre: (X: 56 + random.Next(-12, 13), Y: 56 + random.Next(-12, 13), Z: 40 + random.Next(-8, 9)),
                Radius: (X: 14 + 14 * random.NextDouble(), Y: 14 + 14 * random.NextDouble(), Z: 10 + 10 * random.NextDouble()))).ToArray();
            double phaseX = random.NextDouble() * 6.3 + perturbation * 7, phaseY = random.NextDouble() * 6.3 + perturbation * 3;
            var mask = masks.AsSpan(b * Shape.Count, Shape.Count);
            for (int x = 0; x < Shape.X; x++)
                for (int y = 0; y < Shape.Y; y++)
                    for (int z = 0; z < Shape.Z; z++)
                    {
                        double wave = 1 + (0.15 + perturbation) * Math.Sin(0.11 * x + phaseX) * Math.Cos(0.09 * y + phaseY) * Math.Sin(0.13 * z + 1);
                        foreach (var (centre, radius) in lobes)
                        {
                            double dx = (x - centre.X) / radius.X, dy = (y - centre.Y) / radius.Y, dz = (z - centre.Z) / radius.Z;
                            if (dx * dx + dy * dy + dz * dz <= wave * wave) { mask[Shape.Index(x, y, z)] = 1; break; }
                        }
                    }
        }
        return masks;
    }

    private static (double Sdm, double Metrics, string? WhyNot) TimePython(byte[] truth, byte[] prediction, int repeats)
    {
        string? script = BenchmarkSupport.ReferenceScript("geometry_reference.py");
        if (script is null) return (0, 0, "tests/reference/geometry_reference.py not found above the working or binary directory");
        var folder = Directory.CreateTempSubdirectory("sasnet-geometry-bench-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "shape.txt"), $"{Batch} {Shape.X} {Shape.Y} {Shape.Z}");
            File.WriteAllBytes(Path.Combine(folder, "masks.u8"), truth);
            File.WriteAllBytes(Path.Combine(folder, "gt.u8"), truth);
            File.WriteAllBytes(Path.Combine(folder, "pred.u8"), prediction);
            var (lines, problem) = BenchmarkSupport.RunPython(script, ["bench", folder, repeats.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(10));
            if (lines is null)
                return (0, 0, problem!.Contains("ModuleNotFoundError", StringComparison.Ordinal) ? $"scipy/skimage not importable ({problem})" : problem);
            var values = lines.Select(line => line.Trim().Split('=', 2)).Where(parts => parts.Length == 2)
                .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture));
            return (values["sdm_seconds"], values["metrics_seconds"], null);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Best(int repeats, Action action)
    {
        double best = double.PositiveInfinity;
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return best;
    }

    private static double Fraction(byte[] masks, int sample) =>
        (double)masks.AsSpan(sample * Shape.Count, Shape.Count).Count((byte)1) / Shape.Count;

    private static string Milliseconds(double seconds) => $"{seconds * 1000,8:F1} ms";
}
