using System.Diagnostics;

namespace SasNet.Cli.Benchmarks;

/// <summary>Helpers shared by the benchmark commands: timing statistics, memory readings, the Python reference scripts.</summary>
internal static class BenchmarkSupport
{
    /// <summary>Median of a list of timings (robust to one slow outlier on a noisy machine).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Resident set size of this process in MiB.</summary>
    public static double ResidentMiB()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>Peak resident set size of this process in MiB (VmHWM), or NaN where /proc is unavailable.</summary>
    public static double PeakResidentMiB()
    {
        const string Status = "/proc/self/status";
        if (!File.Exists(Status)) return double.NaN;
        foreach (var line in File.ReadLines(Status))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }

    /// <summary>Finds a reference script under tests/reference/ by walking up from the working directory, then from the executable.</summary>
    public static string? ReferenceScript(string fileName)
    {
        foreach (var origin in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(origin); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "reference", fileName);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>Runs Debian's python3 on a script; returns stdout lines, or null with a reason when it cannot run.</summary>
    public static (IReadOnlyList<string>? Lines, string? Problem) RunPython(string script, IEnumerable<string> arguments, TimeSpan timeout)
    {
        const string Python = "/usr/bin/python3";
        if (!File.Exists(Python)) return (null, $"{Python} not found");
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (null, $"python timed out after {timeout.TotalSeconds:F0} s");
        }
        if (process.ExitCode != 0)
        {
            var error = stderr.Result.Trim().Split('\n').LastOrDefault() ?? "";
            return (null, $"python exited with {process.ExitCode}: {error}");
        }
        return (stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries), null);
    }
}
