namespace TorchBinding.Serialization;

/// <summary>Saving and loading a module's state dict as safetensors.</summary>
public static class ModuleCheckpoints
{
    /// <summary>Writes the module's parameters and persistent buffers to <paramref name="path"/> atomically.</summary>
    public static void save(this torch.nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        Safetensors.Save(path, module.state_dict(), metadata);

    /// <summary>
    /// Loads a safetensors file into the module. Names, shapes and dtypes are validated before any value
    /// changes; a mismatch raises <see cref="ArgumentException"/> naming the file and each problem.
    /// </summary>
    public static IReadOnlyDictionary<string, string> load(this torch.nn.Module module, string path, bool strict = true)
    {
        using var scope = torch.NewDisposeScope();
        var (tensors, metadata) = Safetensors.Load(path);
        try
        {
            module.load_state_dict(tensors, strict);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"checkpoint '{path}': {e.Message}", e);
        }
        return metadata;
    }
}
