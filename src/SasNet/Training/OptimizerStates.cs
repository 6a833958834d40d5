using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SasNet.Training;

/// <summary>
/// An optimiser's state (momentum buffers, Adam moments and step counts, hyper-parameters) as one byte tensor, so a
/// checkpoint keeps it in the same safetensors file as the weights. The bytes are TorchSharp's own
/// <c>save_state_dict</c> format: resuming restores the optimiser exactly.
/// </summary>
internal static class OptimizerStates
{
    /// <summary>The state as a uint8 tensor (in the caller's dispose scope).</summary>
    public static Tensor Save(OptimizerHelper optimizer)
    {
        InCOrder(optimizer);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
        return tensor(stream.ToArray());
    }

    // TorchSharp writes (and reads into) state tensors through Tensor.bytes, which needs C order, while the buffers of channels-last
    // weights (Models.ChannelsLast) are channels-last. Re-laying them in place keeps every value, so the optimiser
    // goes on exactly as a resumed one, whose buffers are read back in C order.
    private static void InCOrder(OptimizerHelper optimizer)
    {
        using var noGrad = no_grad();
        foreach (var state in optimizer.state_dict().State)
        {
            Tensor?[] buffers = state switch
            {
                SGD.State sgd => [sgd.momentum_buffer],
                Adam.State adam => [adam.exp_avg, adam.exp_avg_sq, adam.max_exp_avg_sq],
                _ => throw new NotSupportedException($"saving the state of {optimizer.GetType().Name} is not supported (SGD and Adam are)"),
            };
            foreach (var buffer in buffers)
                if (buffer is not null && !buffer.is_contiguous())
                {
                    using var reordered = buffer.contiguous();
                    buffer.set_(reordered);
                }
        }
    }

    /// <summary>The bytes of a tensor <see cref="Save"/> made; <paramref name="source"/> names it in errors.</summary>
    public static byte[] Bytes(Tensor saved, string source)
    {
        if (saved.dtype != ScalarType.Byte || saved.ndim != 1)
            throw new InvalidDataException($"{source}: optimiser state must be a 1-D uint8 tensor, got {saved.dtype} [{string.Join(", ", saved.shape)}]");
        return saved.data<byte>().ToArray();
    }

    /// <summary>
    /// Restores the state from <see cref="Bytes"/>. Call it outside any dispose scope: the optimiser's restored buffers
    /// are created here and must live as long as the optimiser.
    /// </summary>
    public static void Load(OptimizerHelper optimizer, byte[] saved, string source)
    {
        using var reader = new BinaryReader(new MemoryStream(saved));
        try
        {
            InCOrder(optimizer); // TorchSharp reads into existing buffers (Adam's) through Tensor.bytes too
            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"{source}: the optimiser state does not fit this optimiser ({e.Message})", e);
        }
    }
}
