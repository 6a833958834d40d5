using System.Runtime.InteropServices;
using System.Text;
using TorchBinding.Native;
using static TorchBinding.Native.NativeMethods;

namespace TorchBinding;

/// <summary>Owns one native tensor handle and frees it exactly once, also when only the finaliser runs.</summary>
internal sealed class TensorHandle : SafeHandle
{
    public TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        tsh_tensor_free(handle);
        return true;
    }
}

/// <summary>
/// An n-dimensional array in libtorch, on the CPU or a GPU, with autograd. Method names follow
/// PyTorch (and TorchSharp): <c>x.sum()</c>, <c>x.permute(0, 2, 1)</c>, <c>loss.backward()</c>.
/// Every tensor owns a native handle: dispose it, or create it inside a <see cref="DisposeScope"/>.
/// </summary>
public partial class Tensor : IDisposable
{
    private readonly TensorHandle handle;

    internal Tensor(IntPtr nativeHandle)
    {
        handle = new TensorHandle(Check(nativeHandle));
        DisposeScope.Current?.Add(this);
    }

    /// <summary>The dispose scope that owns this tensor, if any.</summary>
    internal DisposeScope? Scope { get; set; }

    /// <summary>The raw handle for native calls; throws when the tensor was disposed.</summary>
    internal IntPtr Handle
    {
        get
        {
            if (handle.IsClosed) throw new ObjectDisposedException(nameof(Tensor), "the tensor was disposed (perhaps by the dispose scope that owned it)");
            return handle.DangerousGetHandle();
        }
    }

    /// <summary>Whether the native tensor was freed.</summary>
    public bool IsDisposed => handle.IsClosed;

    /// <summary>Frees the native tensor now. Safe to call more than once.</summary>
    public void Dispose()
    {
        handle.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Hands this tensor to the scope outside the one that owns it (or to no scope); returns this.</summary>
    public Tensor MoveToOuterDisposeScope()
    {
        var scope = Scope;
        if (scope == null) return this;
        scope.Remove(this);
        scope.Outer?.Add(this);
        return this;
    }

    /// <summary>Takes this tensor out of every dispose scope: the caller now owns it; returns this.</summary>
    public Tensor DetachFromDisposeScope()
    {
        Scope?.Remove(this);
        return this;
    }

    // Calls that return a new tensor go through here: wraps the handle and keeps `this` alive
    // until the native call has returned (so a finaliser cannot free it mid-call).
    internal Tensor Result(IntPtr nativeHandle)
    {
        var result = new Tensor(nativeHandle);
        GC.KeepAlive(this);
        return result;
    }

    internal void Done(int status)
    {
        Check(status);
        GC.KeepAlive(this);
    }

    // ---- metadata

    /// <summary>Sizes of the dimensions.</summary>
    public long[] shape
    {
        get
        {
            int n = CheckNonNegative(tsh_tensor_ndim(Handle));
            var sizes = new long[n];
            Check(tsh_tensor_shape(Handle, sizes, n));
            GC.KeepAlive(this);
            return sizes;
        }
    }

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public long size(int dim)
    {
        var s = shape;
        int d = dim < 0 ? dim + s.Length : dim;
        if ((uint)d >= (uint)s.Length) throw new ArgumentOutOfRangeException(nameof(dim), dim, $"tensor has {s.Length} dims");
        return s[d];
    }

    /// <summary>Number of dimensions.</summary>
    public int ndim => CheckNonNegative(tsh_tensor_ndim(Handle));

    /// <summary>Number of elements.</summary>
    public long numel() => CheckNonNegative(tsh_tensor_numel(Handle));

    /// <summary>Element type.</summary>
    public ScalarType dtype => (ScalarType)CheckNonNegative(tsh_tensor_dtype(Handle));

    /// <summary>Device the tensor lives on.</summary>
    public Device device
    {
        get
        {
            int type = CheckNonNegative(tsh_tensor_device(Handle, out int index));
            return new Device((DeviceType)type, index);
        }
    }

    // ---- data transfer

    /// <summary>Copies the values into a new .NET array (C order); <typeparamref name="T"/> must match <see cref="dtype"/>.</summary>
    public unsafe T[] ToArray<T>() where T : unmanaged
    {
        var expected = ScalarTypes.Of<T>();
        var actual = dtype;
        if (expected != actual)
            throw new InvalidOperationException($"tensor holds {actual} values; ToArray<{typeof(T).Name}> needs {expected} (convert with .to({expected}) first)");
        var result = new T[checked((int)numel())];
        fixed (T* p = result) Done(tsh_tensor_copy_to(Handle, p, (long)result.Length * sizeof(T)));
        return result;
    }

    /// <summary>Copies the values into <paramref name="destination"/>, whose length must equal <see cref="numel"/>.</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        var expected = ScalarTypes.Of<T>();
        if (expected != dtype) throw new InvalidOperationException($"tensor holds {dtype} values, not {expected}");
        fixed (T* p = destination) Done(tsh_tensor_copy_to(Handle, p, (long)destination.Length * sizeof(T)));
    }

    /// <summary>The value of a one-element tensor.</summary>
    public T item<T>() where T : unmanaged, IConvertible
    {
        Done(tsh_tensor_item(Handle, out double value));
        return (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The value of a one-element tensor as a double.</summary>
    public double ToDouble()
    {
        Done(tsh_tensor_item(Handle, out double value));
        return value;
    }

    /// <summary>The value of a one-element tensor as a float.</summary>
    public float ToSingle() => (float)ToDouble();

    /// <summary>Converts element type (a copy unless it already has it).</summary>
    public Tensor to(ScalarType type) => Result(tsh_tensor_to(Handle, (int)type, -1, 0, 0));

    /// <summary>Moves to a device (a copy unless already there).</summary>
    public Tensor to(Device target) => Result(tsh_tensor_to(Handle, -1, (int)target.Type, target.Index, 0));

    /// <summary>Converts element type and device at once.</summary>
    public Tensor to(ScalarType type, Device target) => Result(tsh_tensor_to(Handle, (int)type, (int)target.Type, target.Index, 0));

    /// <summary>A copy on the host.</summary>
    public Tensor cpu() => to(Device.CPU);

    /// <summary>Another handle to the same native tensor (same storage, same autograd identity).</summary>
    public Tensor alias() => Result(tsh_tensor_shallow_copy(Handle));

    /// <summary>"Tensor[2, 3] Float32 cpu".</summary>
    public override string ToString()
    {
        if (IsDisposed) return "Tensor (disposed)";
        return $"Tensor[{string.Join(", ", shape)}] {dtype} {device}";
    }

    /// <summary>The values, formatted by libtorch.</summary>
    public string ToString(bool withValues)
    {
        if (!withValues) return ToString();
        int length = CheckNonNegative(tsh_tensor_to_string(Handle, Array.Empty<byte>(), 0));
        var buffer = new byte[length + 1];
        CheckNonNegative(tsh_tensor_to_string(Handle, buffer, buffer.Length));
        GC.KeepAlive(this);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    // ---- autograd

    /// <summary>Whether gradients flow into this tensor; settable on leaves.</summary>
    public bool requires_grad
    {
        get => CheckNonNegative(tsh_autograd_requires_grad(Handle)) == 1;
        set => Done(tsh_autograd_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>Sets <see cref="requires_grad"/> and returns this.</summary>
    public Tensor requires_grad_(bool on = true)
    {
        requires_grad = on;
        return this;
    }

    /// <summary>Whether this is a leaf of the autograd graph.</summary>
    public bool is_leaf => CheckNonNegative(tsh_autograd_is_leaf(Handle)) == 1;

    /// <summary>The accumulated gradient (a new handle, owned by the caller's scope), or null when none exists yet.</summary>
    public Tensor? grad
    {
        get
        {
            var h = tsh_autograd_grad(Handle);
            if (h == IntPtr.Zero)
            {
                var message = Marshal.PtrToStringUTF8(tsh_last_error());
                if (!string.IsNullOrEmpty(message)) throw new TorchException(message);
                return null;
            }
            return Result(h);
        }
    }

    /// <summary>Drops the accumulated gradient.</summary>
    public void clear_grad() => Done(tsh_autograd_set_grad(Handle, IntPtr.Zero));

    /// <summary>Back-propagates from this (scalar) tensor, or with an explicit output gradient.</summary>
    public void backward(Tensor? gradient = null, bool retain_graph = false)
    {
        Done(tsh_autograd_backward(Handle, gradient?.Handle ?? IntPtr.Zero, retain_graph ? 1 : 0));
        GC.KeepAlive(gradient);
    }

    /// <summary>Same values, cut from the autograd graph.</summary>
    public Tensor detach() => Result(tsh_autograd_detach(Handle));

    /// <summary>Replaces this tensor's data with <paramref name="source"/>'s, keeping its identity (parameters keep their optimiser state).</summary>
    public void set_data(Tensor source)
    {
        Done(tsh_autograd_set_data(Handle, source.Handle));
        GC.KeepAlive(source);
    }
}

public partial class Tensor
{
    /// <summary>Copies the raw bytes of the values (C order) into <paramref name="destination"/>, whatever the dtype.</summary>
    internal unsafe void CopyTo<T>(Span<T> destination, bool reinterpret) where T : unmanaged
    {
        if (!reinterpret) { CopyTo(destination); return; }
        fixed (T* p = destination)
            Done(NativeMethods.tsh_tensor_copy_to(Handle, p, (long)destination.Length * sizeof(T)));
    }
}
