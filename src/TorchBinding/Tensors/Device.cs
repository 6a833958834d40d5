namespace TorchBinding;

/// <summary>Kind of device a tensor lives on.</summary>
public enum DeviceType
{
    /// <summary>host memory</summary>
    CPU = 0,
    /// <summary>an NVIDIA GPU</summary>
    CUDA = 1,
}

/// <summary>A device: its type and, for CUDA, its index.</summary>
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    /// <summary>The host.</summary>
    public static Device CPU { get; } = new(DeviceType.CPU);

    /// <summary>The first GPU.</summary>
    public static Device CUDA { get; } = new(DeviceType.CUDA);

    /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return CPU;
        if (t == "cuda") return CUDA;
        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out var index) && index >= 0)
            return new Device(DeviceType.CUDA, index);
        throw new ArgumentException($"unknown device '{text}': use cpu, cuda or cuda:N", nameof(text));
    }

    /// <inheritdoc/>
    public override string ToString() => Type == DeviceType.CPU ? "cpu" : $"cuda:{Index}";
}
