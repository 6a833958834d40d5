namespace TorchBinding;

/// <summary>
/// Owns every tensor created on this thread while it is the innermost open scope, and frees them
/// when disposed, so a loop body wrapped in a scope cannot leak native memory:
/// <code>
/// for (...) { using var scope = torch.NewDisposeScope(); var loss = ...; loss.backward(); }
/// </code>
/// A tensor that must outlive the scope is handed on with <see cref="Tensor.MoveToOuterDisposeScope"/>
/// or released from scopes altogether with <see cref="Tensor.DetachFromDisposeScope"/>. Parameters and
/// buffers of modules are never owned by scopes.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly List<Tensor> owned = [];
    private bool disposed;

    internal DisposeScope()
    {
        Outer = current;
        current = this;
    }

    /// <summary>The innermost open scope of this thread, if any.</summary>
    public static DisposeScope? Current => current;

    /// <summary>The scope that was current when this one opened.</summary>
    public DisposeScope? Outer { get; }

    /// <summary>Number of tensors this scope owns now (disposed ones included until the scope closes).</summary>
    public int OwnedCount => owned.Count;

    internal void Add(Tensor tensor)
    {
        owned.Add(tensor);
        tensor.Scope = this;
    }

    internal void Remove(Tensor tensor)
    {
        // Tensors leave scopes mostly right after creation: search from the end.
        for (int i = owned.Count - 1; i >= 0; i--)
        {
            if (!ReferenceEquals(owned[i], tensor)) continue;
            owned.RemoveAt(i);
            break;
        }
        tensor.Scope = null;
    }

    /// <summary>Frees every tensor the scope still owns and makes the outer scope current again.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var tensor in owned)
        {
            tensor.Scope = null;
            tensor.Dispose();
        }
        owned.Clear();
        // Scopes close in LIFO order on their own thread; a scope disposed out of order restores its outer.
        if (ReferenceEquals(current, this)) current = Outer;
    }
}
