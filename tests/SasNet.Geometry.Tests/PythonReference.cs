using System.Diagnostics;
using System.Globalization;

namespace SasNet.Geometry.Tests;

/// <summary>
/// Runs tests/reference/geometry_reference.py with /usr/bin/python3 (scipy + skimage) and exchanges raw
/// arrays through a temporary folder.
/// </summary>
internal static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";

    private static readonly Lazy<string?> UnavailableReason = new(FindUnavailableReason);

    /// <summary>Null when the reference can run; otherwise why not.</summary>
    public static string? WhyUnavailable => UnavailableReason.Value;

    public static string ScriptPath { get; } = FindScript() ?? "";

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "reference", "geometry_reference.py");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string? FindUnavailableReason()
    {
        if (!File.Exists(Interpreter)) return $"{Interpreter} not found";
        if (ScriptPath.Length == 0) return "tests/reference/geometry_reference.py not found above the test binaries";
        var (exitCode, output) = Run("-c \"import scipy, skimage\"", TimeSpan.FromSeconds(60));
        return exitCode == 0 ? null : $"{Interpreter} cannot import scipy and skimage: {output.Trim()}";
    }

    public static (int ExitCode, string Output) Run(string arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Interpreter, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Interpreter}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Interpreter} {arguments} ran longer than {timeout}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public static void RunScript(string command, string folder)
    {
        var (exitCode, output) = Run($"\"{ScriptPath}\" {command} \"{folder}\"", TimeSpan.FromMinutes(5));
        if (exitCode != 0) throw new InvalidOperationException($"reference script '{command}' failed ({exitCode}): {output}");
    }

    public static void WriteShape(string folder, int batch, Shape3 shape) =>
        File.WriteAllText(Path.Combine(folder, "shape.txt"), $"{batch} {shape.X} {shape.Y} {shape.Z}");

    public static void WriteSpacing(string folder, Spacing3 spacing) =>
        File.WriteAllText(Path.Combine(folder, "spacing.txt"),
            string.Join(' ', new[] { spacing.X, spacing.Y, spacing.Z }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));

    public static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var result = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, result, 0, bytes.Length);
        return result;
    }
}

/// <summary>A fact that is skipped, with the reason shown, when python3 with scipy and skimage is not available.</summary>
public sealed class PythonReferenceFactAttribute : FactAttribute
{
    public PythonReferenceFactAttribute()
    {
        if (PythonReference.WhyUnavailable is { } reason)
            Skip = $"Python reference unavailable: {reason}";
    }
}
