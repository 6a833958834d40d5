using System.Collections;
using SasNet.Models;
using SasNet.Training;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SasNet.Checkpoints;

/// <summary>
/// A PyTorch checkpoint as the official SASNet / SASSNet / V-Net code writes it (<c>torch.save(model.state_dict(), path)</c>),
/// read with TorchSharp.PyBridge, with the method and architecture it holds.
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="Method">Which kit model the weights fit.</param>
/// <param name="Model">The architecture, inferred from the weights' names and shapes.</param>
/// <param name="State">The weights under the kit's (= the official) names; CPU tensors in the caller's dispose scope.</param>
/// <param name="Notes">What was adapted on the way (a wrapper dictionary, a DataParallel prefix, the unused block).</param>
public sealed record PyTorchCheckpoint(string Path, TrainingMethod Method, ModelConfig Model, IReadOnlyDictionary<string, Tensor> State,
    IReadOnlyList<string> Notes);

/// <summary>Reading official PyTorch checkpoints (<c>.pth</c>) into the kit's models.</summary>
public static class PyTorchCheckpoints
{
    // The official Decoder2 (SASNet's low-level decoder) builds a block_five_up that its forward never runs.
    private const string UnusedBlockPrefix = "decoder2.block_five_up.";

    /// <summary>
    /// Reads <paramref name="path"/> and works out the model: SASNet (keys <c>encoder.*</c>, <c>decoder2.*</c> and/or
    /// <c>decoder3.*</c>), SASSNet (flat V-Net with <c>out_conv</c> and <c>out_conv2</c>) or V-Net (flat, <c>out_conv</c> only);
    /// the base filters, input channels, classes, normalisation, up-sampling and low-decoder depth from the tensors.
    /// A dictionary wrapping the state dict under "state_dict", "model" or "net" and a DataParallel "module." prefix are
    /// accepted. Throws <see cref="InvalidDataException"/> naming the file and the problem.
    /// </summary>
    public static PyTorchCheckpoint Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint '{path}' does not exist", path);
        InvalidDataException Bad(string problem, Exception? inner = null) => new($"'{path}' is not a PyTorch state dict this kit can read: {problem}", inner);
        Hashtable root;
        try
        {
            root = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (NotImplementedException e)
        {
            throw Bad("it was written with PyTorch's legacy (pre-1.6, non-zip) format; load it in PyTorch and save it again with torch.save", e);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or InvalidCastException or IOException
            or Razorvine.Pickle.PickleException or ArgumentException or NullReferenceException or IndexOutOfRangeException)
        {
            throw Bad($"{e.GetType().Name}: {e.Message}", e);
        }

        var notes = new List<string>();
        var entries = root;
        foreach (var wrapper in new[] { "state_dict", "model", "net" })
            if (root[wrapper] is Hashtable inner)
            {
                entries = inner;
                notes.Add($"weights read from the '{wrapper}' entry of a checkpoint dictionary");
                break;
            }
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in entries)
        {
            if (entry.Key is not string name) throw Bad($"a key of type {entry.Key?.GetType().Name} where parameter names were expected");
            if (entry.Value is not Tensor value) throw Bad($"entry '{name}' is a {entry.Value?.GetType().Name ?? "null"}, not a tensor");
            state[name] = value;
        }
        if (state.Count > 0 && state.Keys.All(k => k.StartsWith("module.", StringComparison.Ordinal)))
        {
            state = state.ToDictionary(p => p.Key["module.".Length..], p => p.Value, StringComparer.Ordinal);
            notes.Add("the DataParallel prefix 'module.' was removed");
        }
        if (state.Keys.Any(k => k.StartsWith(UnusedBlockPrefix, StringComparison.Ordinal)))
        {
            foreach (var key in state.Keys.Where(k => k.StartsWith(UnusedBlockPrefix, StringComparison.Ordinal)).ToList()) state.Remove(key);
            notes.Add("decoder2.block_five_up was dropped: the official low-level decoder builds it but never runs it");
        }

        var (method, prefix) = state.Keys.Any(k => k.StartsWith("encoder.", StringComparison.Ordinal))
            ? (TrainingMethod.SasNet, "encoder.")
            : state.ContainsKey("out_conv2.weight") ? (TrainingMethod.SassNet, "") : (TrainingMethod.VNet, "");
        Tensor Need(string key) => state.TryGetValue(key, out var t) ? t
            : throw Bad($"it has no '{key}', so it is not an official SASNet, SASSNet or V-Net state dict (first keys: {string.Join(", ", state.Keys.Take(5))})");
        var firstConv = Need($"{prefix}block_one.conv.0.weight");
        if (firstConv.ndim != 5) throw Bad($"'{prefix}block_one.conv.0.weight' has shape [{string.Join(", ", firstConv.shape)}], not that of a Conv3d");
        int filters = (int)firstConv.size(0), inChannels = (int)firstConv.size(1);
        var normalization = state.ContainsKey($"{prefix}block_one.conv.1.running_mean") ? NormalizationKind.Batch
            : state.ContainsKey($"{prefix}block_one.conv.1.weight") ? NormalizationKind.Group : NormalizationKind.None;

        ModelConfig model;
        if (method == TrainingMethod.SasNet)
        {
            bool low = state.Keys.Any(k => k.StartsWith("decoder2.", StringComparison.Ordinal));
            bool high = state.Keys.Any(k => k.StartsWith("decoder3.", StringComparison.Ordinal));
            var head = Need(high ? "decoder3.out_conv2.weight" : "decoder2.out_conv2.weight");
            var branches = low && high ? DecoderBranches.Both : high ? DecoderBranches.High : DecoderBranches.Low;
            int depth = !low || state.ContainsKey("decoder2.block_six.conv.0.weight") ? 4 : 3;
            var upsampling = UpsamplingOf(state, high ? "decoder3.block_six_up" : "decoder2.block_seven_up");
            model = new ModelConfig(inChannels, (int)head.size(0), filters, normalization, Branches: branches, LowDecoderDepth: depth, Upsampling: upsampling);
        }
        else
        {
            var head = Need(method == TrainingMethod.SassNet ? "out_conv2.weight" : "out_conv.weight");
            var baseline = method == TrainingMethod.SassNet ? ModelConfig.SassNet : ModelConfig.VNet;
            model = baseline with
            {
                InChannels = inChannels,
                Classes = (int)head.size(0),
                BaseFilters = filters,
                Normalization = normalization,
                Upsampling = UpsamplingOf(state, "block_six_up"),
            };
        }
        try
        {
            model.Validate();
        }
        catch (ArgumentException e)
        {
            throw Bad($"the inferred architecture is not one the kit builds ({e.Message})", e);
        }
        return new PyTorchCheckpoint(path, method, model, state, notes);
    }

    /// <summary>
    /// Copies the checkpoint's weights into <paramref name="network"/> (strictly: every name, shape and dtype must fit;
    /// see <see cref="StateDicts.Load"/>).
    /// </summary>
    public static void LoadInto(this PyTorchCheckpoint checkpoint, nn.Module network)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        StateDicts.Load(network, checkpoint.State, $"checkpoint '{checkpoint.Path}'");
    }

    // A transposed up-sampling block has a 5-D kernel-2 weight at index 0; the trilinear one has its Conv3d at index 1.
    private static UpsamplingMode UpsamplingOf(IReadOnlyDictionary<string, Tensor> state, string block) =>
        state.ContainsKey($"{block}.conv.1.weight") && state[$"{block}.conv.1.weight"].ndim == 5 ? UpsamplingMode.Trilinear : UpsamplingMode.TransposedConv;
}
