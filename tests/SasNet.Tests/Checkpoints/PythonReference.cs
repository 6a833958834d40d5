using System.Diagnostics;

namespace SasNet.Tests.Checkpoints;

/// <summary>Runs the reference scripts of tests/reference with Debian's python3.</summary>
internal static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>The path of tests/reference/<paramref name="name"/>, found upwards from the test binaries; null when absent.</summary>
    public static string? Script(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "reference", name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Runs the interpreter; exit code and stdout + stderr.</summary>
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var info = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + stderr.Result);
    }

    /// <summary>Why the script or the modules cannot be used here, or null when they can.</summary>
    public static string? Missing(string script, params string[] modules)
    {
        if (Script(script) is null) return $"tests/reference/{script} not found";
        if (!File.Exists(Interpreter)) return $"{Interpreter} is not installed";
        foreach (var module in modules)
            if (Run("-c", $"import {module}").ExitCode != 0) return $"python3 module '{module}' is not installed (bash environment/setup.sh --test-tools)";
        return null;
    }
}

/// <summary>
/// A fact that needs a reference script and Python modules (<see cref="ExternalRequirement"/>).
/// </summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute(string script, params string[] modules)
    {
        Skip = ExternalRequirement.SkipReason(PythonReference.Missing(script, modules));
    }
}
