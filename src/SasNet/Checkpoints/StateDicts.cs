using TorchSharp;
using static TorchSharp.torch;

namespace SasNet.Checkpoints;

/// <summary>
/// Loading a state dict with every mismatch reported at once. TorchSharp's <c>load_state_dict</c> only says that the
/// key sets differ, and copies a tensor of another shape by broadcasting where it can; this checks names, shapes and
/// dtypes first, names each problem, and changes nothing unless everything fits.
/// </summary>
public static class StateDicts
{
    /// <summary>
    /// Copies <paramref name="state"/> into <paramref name="module"/>'s parameters and persistent buffers (every entry
    /// must be present, none may be extra). Throws <see cref="ArgumentException"/> starting with <paramref name="source"/>.
    /// </summary>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> state, string source)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(state);
        var own = module.state_dict();
        var problems = new List<string>();
        var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var missing = own.Keys.Where(k => !state.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (unexpected.Count > 0) problems.Add(Listed(unexpected, "unexpected entry", "unexpected entries"));
        if (missing.Count > 0) problems.Add(Listed(missing, "missing entry", "missing entries"));
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var value)) continue;
            if (!value.shape.SequenceEqual(target.shape))
                problems.Add($"'{name}' has shape [{string.Join(", ", value.shape)}] but the model expects [{string.Join(", ", target.shape)}]");
            else if (value.dtype != target.dtype)
                problems.Add($"'{name}' has dtype {value.dtype} but the model expects {target.dtype}");
        }
        if (problems.Count > 0)
        {
            const int Shown = 12;
            var more = problems.Count > Shown ? $"; … and {problems.Count - Shown} more" : "";
            throw new ArgumentException($"{source}: the weights do not fit {module.GetName()}: {string.Join("; ", problems.Take(Shown))}{more}");
        }
        using (no_grad())
            foreach (var (name, target) in own) target.copy_(state[name]);
    }

    // "missing entry 'a'", or "3 missing entries: 'a', 'b', 'c'", at most five names.
    private static string Listed(IReadOnlyList<string> names, string one, string many)
    {
        const int Shown = 5;
        if (names.Count == 1) return $"{one} '{names[0]}'";
        var list = string.Join(", ", names.Take(Shown).Select(n => $"'{n}'"));
        return $"{names.Count} {many}: {list}{(names.Count > Shown ? ", …" : "")}";
    }
}
