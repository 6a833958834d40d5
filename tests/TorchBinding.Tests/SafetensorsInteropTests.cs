using System.Diagnostics;
using System.Globalization;
using TorchBinding;
using TorchBinding.Serialization;
using static TorchBinding.torch;

namespace TorchBinding.Tests;

/// <summary>Skips a test, with the reason, when Debian's python3 with numpy or the reference script is missing.</summary>
public sealed class PythonNumpyFactAttribute : FactAttribute
{
    public PythonNumpyFactAttribute()
    {
        if (SafetensorsInteropTests.Script() is null) Skip = "tests/reference/safetensors_interop.py not found";
        else if (!File.Exists("/usr/bin/python3")) Skip = "/usr/bin/python3 is not installed";
        else if (SafetensorsInteropTests.Python("-c", "import numpy").ExitCode != 0) Skip = "python3-numpy is not installed";
    }
}

/// <summary>Our safetensors files read correctly in Python (an independent json+numpy reader), and Python-written files load here.</summary>
public sealed class SafetensorsInteropTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("st-interop-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    internal static string? Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "reference", "safetensors_interop.py");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    internal static (int ExitCode, string Output) Python(params string[] arguments)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    [PythonNumpyFact]
    public void PythonReadsWhatWeWrite()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(folder, "ours.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor>
        {
            ["w"] = arange(0, 24, dtype: ScalarType.Float32).reshape(2, 3, 4),
            ["steps"] = full([], 5, ScalarType.Int64),
            ["mask"] = tensor(new byte[] { 1, 0, 1 }),
        }, new Dictionary<string, string> { ["iteration"] = "42" });
        var (code, output) = Python(Script()!, "check", path);
        Assert.True(code == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("mask U8 [3] 2.0", lines);
        Assert.Contains("steps I64 [] 5.0", lines);
        Assert.Contains("w F32 [2, 3, 4] 276.0", lines);
        Assert.Contains("metadata {\"iteration\": \"42\"}", lines);
    }

    [PythonNumpyFact]
    public void WeReadWhatPythonWrites()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(folder, "theirs.safetensors");
        var (code, output) = Python(Script()!, "write", path);
        Assert.True(code == 0, output);
        var (tensors, _) = Safetensors.Load(path);
        Assert.Equal(new long[] { 2, 3 }, tensors["a"].shape);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, tensors["a"].ToArray<float>());
        Assert.Equal(new long[] { 7, -3 }, tensors["b"].ToArray<long>());
    }
}
