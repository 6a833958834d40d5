using System.CommandLine;
using System.Diagnostics;
using SasNet.Runtime;

namespace SasNet.Cli.Commands;

/// <summary>
/// <c>sasnet engine check</c>: finds the fastest oneDNN instruction set whose convolution gradients are right on this
/// processor and records it (<see cref="OneDnnIsaRecord"/>), so that training, benchmarks and notebooks use it.
/// oneDNN fixes its instruction set at its first kernel, so each candidate runs in a child process of this executable.
/// </summary>
internal static class EngineCommand
{
    private const string ProbeOption = "--probe";

    public static Command Create()
    {
        var engine = new Command("engine", "The compute engine's settings on this machine.");
        var check = new Command("check",
            "Test which oneDNN instruction set computes right convolution gradients on this processor (float32 against float64) " +
            "and record the fastest, which training and notebooks then use. Runs once per processor and TorchSharp version.");
        var force = new Option<bool>("--force") { Description = "check again even if this processor has a record" };
        var probe = new Option<bool>(ProbeOption) { Description = "run the checks in this process only, with the oneDNN setting it was started with", Hidden = true };
        check.Add(force);
        check.Add(probe);
        check.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(probe)) return Probe(output);
            var existing = OneDnnIsaRecord.ForThisMachine();
            if (existing is not null && !parse.GetValue(force))
            {
                output.WriteLine($"oneDNN: {existing.Isa} on {existing.Cpu} (checked {existing.Checked:yyyy-MM-dd HH:mm}; --force checks again)");
                return 0;
            }
            return CheckAndRecord(output);
        });
        engine.Add(check);
        return engine;
    }

    private static int Probe(TextWriter output)
    {
        TorchRuntime.EnsureLoaded();
        var results = ConvolutionGradientCheck.MeasureAll();
        foreach (var result in results.Where(r => !r.Passed).DistinctBy(r => (r.Layer, r.Threads))) output.WriteLine(result);
        int failures = results.Count(r => !r.Passed);
        output.WriteLine($"{results.Count - failures} of {results.Count} gradient checks right with {TorchRuntime.OneDnnIsaVariable}={Environment.GetEnvironmentVariable(TorchRuntime.OneDnnIsaVariable)}");
        return failures == 0 ? 0 : Program.FailureExitCode;
    }

    private static int CheckAndRecord(TextWriter output)
    {
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this executable to start the checks");
        var findings = new List<string>();
        string chosen = OneDnnIsaRecord.LastResort;
        foreach (var isa in OneDnnIsaRecord.Candidates)
        {
            var (exitCode, text) = RunProbe(executable, isa);
            var summary = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            findings.Add($"{isa}: " + (summary.Length > 0 ? string.Join(" | ", summary) : $"exit code {exitCode}, no output"));
            output.WriteLine($"  {isa,-5} {(exitCode == 0 ? "right" : "WRONG")}: {(summary.Length > 0 ? summary[^1] : $"exit code {exitCode}")}");
            if (exitCode == 0) { chosen = isa; break; }
        }
        var record = new OneDnnIsaRecord(OneDnnIsaRecord.CurrentCpu(), OneDnnIsaRecord.CurrentTorchSharp, chosen, DateTimeOffset.UtcNow, findings, ConvolutionGradientCheck.Version);
        var path = record.Save();
        output.WriteLine($"oneDNN: {chosen} on {record.Cpu}; recorded in {path}");
        return 0;
    }

    private static (int ExitCode, string Output) RunProbe(string executable, string isa)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Through `dotnet SasNet.Cli.dll` the process path is the dotnet host: hand it the entry assembly again.
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet") start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in new[] { "engine", "check", ProbeOption }) start.ArgumentList.Add(argument);
        start.Environment[TorchRuntime.OneDnnIsaVariable] = isa;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var error = process.StandardError.ReadToEndAsync();
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, text + error.Result);
    }
}
