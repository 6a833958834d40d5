using System.Diagnostics;
using SasNet.Geometry;

namespace SasNet.Data.Tests;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sasnet-data-tests-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public static class TestVolumes
{
    /// <summary>A volume whose voxel values encode their coordinates, so any axis mix-up shows.</summary>
    public static Volume<float> Coordinates(Shape3 shape, Spacing3? spacing = null)
    {
        var v = new Volume<float>(shape, spacing);
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                    v[x, y, z] = x * 10000 + y * 100 + z + 0.25f;
        return v;
    }

    public static Volume<float> Random(Shape3 shape, int seed)
    {
        var rng = new Random(seed);
        var v = new Volume<float>(shape);
        for (int i = 0; i < v.Data.Length; i++) v.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }

    public static Volume<byte> Ball(Shape3 shape, double radius)
    {
        var v = new Volume<byte>(shape);
        double cx = (shape.X - 1) / 2.0, cy = (shape.Y - 1) / 2.0, cz = (shape.Z - 1) / 2.0;
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= radius * radius) v[x, y, z] = 1;
        return v;
    }
}

/// <summary>Runs an external tool and returns (exit code, stdout + stderr).</summary>
public static class ExternalTool
{
    public static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(120_000);
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>
/// A fact that needs /usr/bin/python3 with h5py: skipped with a visible reason when either is missing
/// (install with 'bash environment/setup.sh --test-tools').
/// </summary>
public sealed class H5pyFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";
    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (!System.IO.File.Exists(Python)) return $"{Python} not found";
        try
        {
            var (code, output) = ExternalTool.Run(Python, "-c", "import h5py, numpy");
            return code == 0 ? null : "python3 has no h5py/numpy (" + output.Trim().Split('\n').Last() + ")";
        }
        catch (Exception e) { return "cannot run python3: " + e.Message; }
    });

    public H5pyFactAttribute()
    {
        if (Missing.Value is { } reason) Skip = "needs h5py: " + reason + "; run 'bash environment/setup.sh --test-tools'";
    }
}

/// <summary>A fact that needs the HDF5 C library; skipped with the loader's reason when absent.</summary>
public sealed class Hdf5FactAttribute : FactAttribute
{
    public Hdf5FactAttribute()
    {
        if (!SasNet.Data.IO.Hdf5File.IsAvailable) Skip = "the HDF5 C library is not installed (apt-get install libhdf5-dev or environment/setup.sh)";
    }
}
