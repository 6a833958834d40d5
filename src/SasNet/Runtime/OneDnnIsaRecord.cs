using SasNet.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SasNet.Runtime;

/// <summary>
/// The instruction set oneDNN may use on this machine, as found by <c>sasnet engine check</c> (which runs
/// <see cref="ConvolutionGradientCheck"/> in a child process per candidate set), kept per processor and TorchSharp
/// version and the check's <see cref="ConvolutionGradientCheck.Version"/> under <c>~/.cache/sasnet-kit/engine/</c>. On virtual AMD EPYC Zen 5 machines oneDNN 3.7's AVX2 and AVX-512
/// convolution gradients are wrong while its AVX ones are right; on Zen 4 machines all are right. The processor alone
/// does not tell, so the kit measures, and without a record it stays at AVX.
/// </summary>
public sealed record OneDnnIsaRecord(string Cpu, string TorchSharp, string Isa, DateTimeOffset Checked, IReadOnlyList<string> Findings, int CheckVersion)
{
    /// <summary>Candidate instruction sets, fastest first; the first whose gradients are right is recorded.</summary>
    public static IReadOnlyList<string> Candidates { get; } = ["ALL", "AVX2", "AVX"];

    /// <summary>Used when every candidate fails: oneDNN's SSE4.1 kernels.</summary>
    public const string LastResort = "SSE41";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>The TorchSharp version whose libtorch (and so oneDNN) was checked.</summary>
    public static string CurrentTorchSharp => typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>
    /// This processor as the kernel reports it: vendor, family, model, stepping, name and a hash of its feature flags
    /// (a hypervisor can hide features of the same model).
    /// </summary>
    public static string CurrentCpu()
    {
        const string Cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(Cpuinfo)) return $"{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture} (no {Cpuinfo})";
        var fields = new Dictionary<string, string>();
        foreach (var line in File.ReadLines(Cpuinfo))
        {
            if (line.Length == 0) break; // the first processor's block is enough
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        string Field(string name) => fields.GetValueOrDefault(name, "?");
        var flags = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Field("flags"))))[..8];
        return $"{Field("vendor_id")} family {Field("cpu family")} model {Field("model")} stepping {Field("stepping")} ({Field("model name")}), flags {flags}";
    }

    /// <summary>Where the record for <paramref name="cpu"/> and <paramref name="torchSharp"/> (and the current check) lives.</summary>
    public static string PathFor(string cpu, string torchSharp)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{cpu}|{torchSharp}|check {ConvolutionGradientCheck.Version}")))[..12];
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", "sasnet-kit", "engine", $"onednn-isa-{key}.json");
    }

    /// <summary>The record of this processor and TorchSharp version, or null when none was written (or it is unreadable).</summary>
    public static OneDnnIsaRecord? ForThisMachine()
    {
        try
        {
            var (cpu, torchSharp) = (CurrentCpu(), CurrentTorchSharp);
            var path = PathFor(cpu, torchSharp);
            if (!File.Exists(path)) return null;
            var record = JsonSerializer.Deserialize<OneDnnIsaRecord>(File.ReadAllText(path), JsonOptions);
            return record is not null && record.Cpu == cpu && record.TorchSharp == torchSharp && record.CheckVersion == ConvolutionGradientCheck.Version
                   && (Candidates.Contains(record.Isa) || record.Isa == LastResort) ? record : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null; // an unreadable record is the same as none: the safe default applies and a check rewrites it
        }
    }

    /// <summary>Writes this record atomically where <see cref="ForThisMachine"/> reads it; returns the path.</summary>
    public string Save()
    {
        var path = PathFor(Cpu, TorchSharp);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));
        return path;
    }
}
