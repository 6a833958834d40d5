using static TorchBinding.Native.NativeMethods;

namespace TorchBinding;

/// <summary>
/// A learnable tensor of a module: a leaf that records gradients. It is never owned by a dispose
/// scope; the module that registers it disposes it.
/// </summary>
public sealed class Parameter : Tensor
{
    /// <summary>Makes a parameter sharing <paramref name="data"/>'s storage (the argument stays the caller's to dispose).</summary>
    public Parameter(Tensor data, bool requires_grad = true) : base(tsh_autograd_detach(data.Handle))
    {
        GC.KeepAlive(data);
        DetachFromDisposeScope();
        this.requires_grad = requires_grad;
    }
}
