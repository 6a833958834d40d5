using System.Diagnostics;

namespace SasNet.Experiments.Sweeps;

/// <summary>Runs a scheduler command and collects its output.</summary>
internal static class SchedulerCommand
{
    /// <summary>Exit code and output of <paramref name="program"/>; exit 127 and a message when it is not installed.</summary>
    public static (int Code, string Output, string Error) Run(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (127, "", $"{program} is not installed here (is this a Slurm login node? 'sasnet sweep submit --scheduler local' runs a sweep on this machine)");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, output.Result, error.Result);
        }
    }
}
