using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SasNet.Models;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasNet.Cli.Benchmarks;

/// <summary>
/// <c>sasnet benchmark engine</c>: one SGD step (forward, cross-entropy, backward, update) of V-Net with
/// 16 filters and batch 2 at 64³ and 112×112×80, timed from C# (TorchSharp, libtorch 2.10) and in Debian's PyTorch in
/// the same run when python3-torch is installed, at equal threads. Medians over the repeats; the first step is a warm-up.
/// </summary>
internal static class EngineBenchmark
{
    private static readonly Shape[] Sizes = [new(64, 64, 64), new(112, 112, 80)];

    private readonly record struct Shape(int X, int Y, int Z)
    {
        public override string ToString() => $"{X}×{Y}×{Z}";
    }

    public static int Run(TextWriter output, int threads, int repeats, bool withPython)
    {
        set_num_threads(threads);
        output.WriteLine($"V-Net (16 filters, BatchNorm) SGD step, batch 2, {threads} threads, libtorch {__version__}; median of {repeats} after 1 warm-up");
        if (SasNet.Runtime.TorchRuntime.OneDnnIsaNote.Length > 0) output.WriteLine($"  oneDNN: {SasNet.Runtime.TorchRuntime.OneDnnIsaNote}");
        // The layout the kit trains in first (its figures go in the ratio), then the other one for comparison.
        bool channelsLast = ChannelsLast.IsFasterOn(CPU);
        output.WriteLine($"  the kit trains in {(channelsLast ? "channels-last" : "C-order")} layout here ({nameof(ChannelsLast)})");
        var csharp = new Dictionary<Shape, double>();
        foreach (var size in Sizes)
        {
            csharp[size] = Time(size, repeats, channelsLast, out var peak);
            output.WriteLine($"  C#  {size,-12} {csharp[size],7:F3} s/step   ({(channelsLast ? "channels-last" : "C order")}; peak RSS so far {peak:F0} MiB)");
        }
        if (channelsLast)
            foreach (var size in Sizes)
                output.WriteLine($"  C#  {size,-12} {Time(size, repeats, channelsLast: false, out _),7:F3} s/step   (C order, for comparison)");

        if (!withPython) return 0;
        var script = BenchmarkSupport.ReferenceScript("vnet_engine_benchmark.py");
        if (script is null)
        {
            output.WriteLine("  PyTorch: skipped (tests/reference/vnet_engine_benchmark.py not found next to the kit)");
            return 0;
        }
        var args = new List<string> { threads.ToString(CultureInfo.InvariantCulture), repeats.ToString(CultureInfo.InvariantCulture) };
        args.AddRange(Sizes.Select(s => $"{s.X},{s.Y},{s.Z}"));
        var (lines, problem) = BenchmarkSupport.RunPython(script, args, TimeSpan.FromMinutes(30));
        if (lines is null)
        {
            output.WriteLine($"  PyTorch: skipped ({problem}; install Debian's python3-torch, e.g. bash environment/setup.sh --python-torch)");
            return 0;
        }
        output.WriteLine();
        output.WriteLine($"  {"size",-12} {"PyTorch s",10} {"C# s",10} {"ratio",7}   (ratio = C# / PyTorch; below 1 is faster)");
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var sizes = doc.RootElement.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var size = new Shape(sizes[0], sizes[1], sizes[2]);
            var seconds = doc.RootElement.GetProperty("seconds").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            double py = BenchmarkSupport.Median(seconds);
            output.WriteLine($"  {size,-12} {py,10:F3} {csharp[size],10:F3} {csharp[size] / py,7:F2}" +
                $"   (PyTorch {doc.RootElement.GetProperty("version").GetString()}, peak RSS {doc.RootElement.GetProperty("peak_rss_mb").GetDouble():F0} MiB)");
        }
        return 0;
    }

    private static double Time(Shape size, int repeats, bool channelsLast, out double peakMiB)
    {
        manual_seed(0);
        using var net = new VNet(ModelConfig.VNet);
        if (channelsLast) ChannelsLast.Apply(net);
        using var optimizer = optim.SGD(net.parameters(), 0.01, momentum: 0.9, weight_decay: 1e-4);
        using var data = NewDisposeScope();
        var image = randn([2, 1, size.X, size.Y, size.Z]);
        var label = randint(0, 2, [2, size.X, size.Y, size.Z]);
        var times = new List<double>();
        for (int r = 0; r <= repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            using (var step = NewDisposeScope())
            {
                var loss = F.cross_entropy(net.call(image), label);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
            if (r > 0) times.Add(clock.Elapsed.TotalSeconds);
        }
        peakMiB = BenchmarkSupport.PeakResidentMiB();
        return BenchmarkSupport.Median(times);
    }
}
