using System.Diagnostics;
using System.Text.Json;
using SasNet.Experiments;
using SasNet.Runtime;

namespace SasNet.Tests.Cli;

/// <summary>
/// <c>sasnet engine check</c> through the published CLI (it starts itself once per candidate instruction set), with
/// a private home folder so that the machine's own record is left alone.
/// </summary>
public class EngineCheckTests
{
    private static (int ExitCode, string Output) Run(string cli, string home, params string[] args)
    {
        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in args) start.ArgumentList.Add(argument);
        start.Environment["HOME"] = home;
        start.Environment.Remove(TorchRuntime.OneDnnIsaVariable);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    [Fact]
    public void TheCheckRecordsARightInstructionSetThatLaterProcessesUse()
    {
        var cli = KitPaths.RepositoryRoot() is { } root ? Path.Combine(root, "artifacts", "kit", "SasNet.Cli") : null;
        if (!ExternalRequirement.Met(cli is null || !File.Exists(cli) ? "the CLI is not published under artifacts/kit" : null)) return;
        var home = Directory.CreateTempSubdirectory("sasnet-engine-home-").FullName;
        try
        {
            var (before, beforeText) = Run(cli!, home, "version");
            Assert.True(before == 0, beforeText);
            Assert.Contains($"{TorchRuntime.OneDnnIsaVariable}={TorchRuntime.CappedIsa} (not yet checked", beforeText);

            var (code, text) = Run(cli!, home, "engine", "check");
            Assert.True(code == 0, text);
            var file = Assert.Single(Directory.GetFiles(Path.Combine(home, ".cache", "sasnet-kit", "engine")));
            using var record = JsonDocument.Parse(File.ReadAllText(file));
            var isa = record.RootElement.GetProperty("Isa").GetString();
            Assert.Contains(isa, OneDnnIsaRecord.Candidates.Append(OneDnnIsaRecord.LastResort));
            int checks = ConvolutionGradientCheck.Layers.Count * 2 * 3; // every layer and layout on 1 and 2 threads, three times
            Assert.Contains($"{isa}: {checks} of {checks} gradient checks right", record.RootElement.GetProperty("Findings").EnumerateArray().Last().GetString());

            var (after, afterText) = Run(cli!, home, "version");
            Assert.True(after == 0, afterText);
            Assert.Contains($"{TorchRuntime.OneDnnIsaVariable}={isa} (the fastest set", afterText);
            var (again, againText) = Run(cli!, home, "engine", "check");
            Assert.True(again == 0 && againText.Contains("--force checks again", StringComparison.Ordinal), againText);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
