using System.Diagnostics;
using SasNet.Experiments;

namespace SasNet.Tests.Cli;

/// <summary>What a program run by a test printed, and how it ended.</summary>
public sealed record ProcessOutcome(int ExitCode, string Output, string Error)
{
    /// <summary>Everything it printed, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}

/// <summary>The published <c>sasnet</c> of this checkout, and programs (it, Slurm's tools) run as a user runs them.</summary>
public static class ExternalProcess
{
    /// <summary><c>artifacts/kit/SasNet.Cli</c> as <c>environment/setup.sh</c> publishes it, or null when it is not there.</summary>
    public static string? PublishedKit =>
        KitPaths.RepositoryRoot() is { } root && Path.Combine(root, "artifacts", "kit", "SasNet.Cli") is var kit && File.Exists(kit) ? kit : null;

    /// <summary>Runs <paramref name="program"/> to its end (killed after <paramref name="timeout"/>: exit -1); exit 127 when it is not installed.</summary>
    public static ProcessOutcome Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ProcessOutcome(127, "", e.Message);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return new ProcessOutcome(-1, output.Result, $"timed out after {timeout}\n{error.Result}");
            }
            return new ProcessOutcome(process.ExitCode, output.Result, error.Result);
        }
    }
}
