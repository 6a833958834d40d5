using System.Runtime.InteropServices;
using static TorchBinding.Native.NativeMethods;

namespace TorchBinding;

/// <summary>
/// Entry point shaped like PyTorch's <c>torch</c> module (and TorchSharp's <c>torch</c> class):
/// tensor creation, the runtime (threads, seeds, devices), grad mode, and the <see cref="nn"/>,
/// <see cref="optim"/> and <see cref="fft"/> namespaces. Bring it in with <c>using static TorchBinding.torch;</c>.
/// </summary>
public static partial class torch
{
    /// <summary>uint8</summary>
    public const ScalarType uint8 = ScalarType.Byte;
    /// <summary>int32</summary>
    public const ScalarType int32 = ScalarType.Int32;
    /// <summary>int64</summary>
    public const ScalarType int64 = ScalarType.Int64;
    /// <summary>float32</summary>
    public const ScalarType float32 = ScalarType.Float32;
    /// <summary>float64</summary>
    public const ScalarType float64 = ScalarType.Float64;
    /// <summary>bool</summary>
    public const ScalarType @bool = ScalarType.Bool;

    /// <summary>The host device.</summary>
    public static Device CPU => Device.CPU;

    /// <summary>The first GPU.</summary>
    public static Device CUDA => Device.CUDA;

    /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
    public static Device device(string name) => Device.Parse(name);

    /// <summary>Version of the libtorch the shim was built against (e.g. "1.13.1").</summary>
    public static string version => Marshal.PtrToStringUTF8(tsh_runtime_version()) ?? "unknown";

    /// <summary>Whether a CUDA device can be used.</summary>
    public static bool cuda_is_available() => CheckNonNegative(tsh_runtime_cuda_is_available()) == 1;

    /// <summary>Number of CUDA devices.</summary>
    public static int cuda_device_count() => CheckNonNegative(tsh_runtime_cuda_device_count());

    /// <summary>Seeds libtorch's global generators (CPU and CUDA).</summary>
    public static void manual_seed(ulong seed) => Check(tsh_runtime_manual_seed(seed));

    /// <summary>Sets the intra-op thread count. libtorch's default on some builds is 1: choose deliberately.</summary>
    public static void set_num_threads(int threads) => Check(tsh_runtime_set_num_threads(threads));

    /// <summary>The intra-op thread count.</summary>
    public static int get_num_threads() => CheckNonNegative(tsh_runtime_get_num_threads());

    /// <summary>Asks libtorch for deterministic algorithms only (and no cuDNN auto-tuning).</summary>
    public static void use_deterministic_algorithms(bool on) => Check(tsh_runtime_set_deterministic(on ? 1 : 0));

    /// <summary>Native tensor handles alive in this process (for leak checks).</summary>
    public static long live_tensor_count => tsh_runtime_live_tensors();

    /// <summary>Opens a dispose scope on this thread; see <see cref="DisposeScope"/>.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Turns gradient recording off on this thread until the returned value is disposed.</summary>
    public static GradModeScope no_grad() => new(enabled: false);

    /// <summary>Turns gradient recording on on this thread until the returned value is disposed.</summary>
    public static GradModeScope enable_grad() => new(enabled: true);

    /// <summary>Whether gradient recording is on for this thread.</summary>
    public static bool is_grad_enabled() => tsh_autograd_is_grad_enabled() == 1;

    // ---- creation

    private static Tensor New(int kind, long[] shape, ScalarType dtype, Device? device, bool requiresGrad)
    {
        ValidateShape(shape);
        var d = device ?? Device.CPU;
        return new Tensor(tsh_tensor_new(kind, shape, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
    }

    internal static void ValidateShape(long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (var size in shape)
            if (size < 0) throw new ArgumentException($"tensor sizes must be non-negative, got [{string.Join(", ", shape)}]", nameof(shape));
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor zeros(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false) => New(0, shape, dtype, device, requires_grad);
    /// <summary>A float32 tensor of zeros on the CPU.</summary>
    public static Tensor zeros(params long[] shape) => New(0, shape, ScalarType.Float32, null, false);
    /// <summary>A tensor of ones.</summary>
    public static Tensor ones(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false) => New(1, shape, dtype, device, requires_grad);
    /// <summary>A float32 tensor of ones on the CPU.</summary>
    public static Tensor ones(params long[] shape) => New(1, shape, ScalarType.Float32, null, false);
    /// <summary>An uninitialised tensor.</summary>
    public static Tensor empty(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null) => New(2, shape, dtype, device, false);
    /// <summary>Uniform samples in [0, 1) from the global generator.</summary>
    public static Tensor rand(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false) => New(3, shape, dtype, device, requires_grad);
    /// <summary>Uniform float32 samples in [0, 1) on the CPU.</summary>
    public static Tensor rand(params long[] shape) => New(3, shape, ScalarType.Float32, null, false);
    /// <summary>Standard normal samples from the global generator.</summary>
    public static Tensor randn(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false) => New(4, shape, dtype, device, requires_grad);
    /// <summary>Standard normal float32 samples on the CPU.</summary>
    public static Tensor randn(params long[] shape) => New(4, shape, ScalarType.Float32, null, false);

    /// <summary>A tensor filled with one value.</summary>
    public static Tensor full(long[] shape, double value, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false)
    {
        ValidateShape(shape);
        var d = device ?? Device.CPU;
        return new Tensor(tsh_tensor_full(shape, shape.Length, value, (int)dtype, (int)d.Type, d.Index, requires_grad ? 1 : 0));
    }

    /// <summary>Random integers in [low, high).</summary>
    public static Tensor randint(long low, long high, long[] shape, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        ValidateShape(shape);
        var d = device ?? Device.CPU;
        return new Tensor(tsh_tensor_randint(low, high, shape, shape.Length, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Values start, start+step, … below end.</summary>
    public static Tensor arange(double start, double end, double step = 1, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        var d = device ?? Device.CPU;
        return new Tensor(tsh_tensor_arange(start, end, step, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>A CPU tensor holding a copy of <paramref name="data"/> (C order) in the given shape (default: 1-D).</summary>
    public static unsafe Tensor tensor<T>(ReadOnlySpan<T> data, long[]? shape = null, bool requires_grad = false) where T : unmanaged
    {
        shape ??= [data.Length];
        ValidateShape(shape);
        long count = 1;
        foreach (var s in shape) count *= s;
        if (count != data.Length)
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {count} elements but {data.Length} values were given", nameof(shape));
        Tensor result;
        fixed (T* p = data)
            result = new Tensor(tsh_tensor_from_data(p, (long)data.Length * sizeof(T), shape, shape.Length, (int)ScalarTypes.Of<T>()));
        if (requires_grad) result.requires_grad = true;
        return result;
    }

    /// <summary>A CPU tensor holding a copy of <paramref name="data"/> in the given shape.</summary>
    public static Tensor tensor<T>(T[] data, params long[] shape) where T : unmanaged =>
        tensor<T>((ReadOnlySpan<T>)data, shape.Length == 0 ? null : shape);

    /// <summary>A zero-dimensional float32 tensor.</summary>
    public static Tensor scalar_tensor(double value, ScalarType dtype = ScalarType.Float32, Device? device = null) => full([], value, dtype, device);

    // ---- combining

    private static IntPtr[] Handles(IReadOnlyList<Tensor> tensors)
    {
        if (tensors.Count == 0) throw new ArgumentException("at least one tensor is needed", nameof(tensors));
        var handles = new IntPtr[tensors.Count];
        for (int i = 0; i < handles.Length; i++) handles[i] = tensors[i].Handle;
        return handles;
    }

    /// <summary>Concatenates along an existing dimension.</summary>
    public static Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        var result = new Tensor(tsh_op_cat(Handles(tensors), tensors.Count, dim));
        GC.KeepAlive(tensors);
        return result;
    }

    /// <summary>Stacks along a new dimension.</summary>
    public static Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        var result = new Tensor(tsh_op_stack(Handles(tensors), tensors.Count, dim));
        GC.KeepAlive(tensors);
        return result;
    }

    /// <summary>Element-wise choice: <paramref name="a"/> where <paramref name="condition"/> is true, else <paramref name="b"/>.</summary>
    public static Tensor where(Tensor condition, Tensor a, Tensor b)
    {
        var result = new Tensor(tsh_op_where(condition.Handle, a.Handle, b.Handle));
        GC.KeepAlive(condition);
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        return result;
    }

    /// <summary>Samples 0/1 with the given probabilities.</summary>
    public static Tensor bernoulli(Tensor probabilities) => probabilities.Result(tsh_op_bernoulli(probabilities.Handle));

    /// <summary>Whether two tensors are equal within |a − b| ≤ atol + rtol·|b|.</summary>
    public static bool allclose(Tensor a, Tensor b, double rtol = 1e-5, double atol = 1e-8)
    {
        int r = CheckNonNegative(tsh_op_allclose(a.Handle, b.Handle, rtol, atol));
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        return r == 1;
    }

    /// <summary>Real part of a complex tensor.</summary>
    public static Tensor real(Tensor x) => x.Result(tsh_fft_part(x.Handle, 0));

    /// <summary>Imaginary part of a complex tensor.</summary>
    public static Tensor imag(Tensor x) => x.Result(tsh_fft_part(x.Handle, 1));

    /// <summary>A complex tensor from real and imaginary parts.</summary>
    public static Tensor complex(Tensor real, Tensor imag)
    {
        var result = real.Result(tsh_fft_complex(real.Handle, imag.Handle));
        GC.KeepAlive(imag);
        return result;
    }

    /// <summary>Discrete Fourier transforms (as <c>torch.fft</c>).</summary>
    public static class fft
    {
        /// <summary>N-dimensional FFT over <paramref name="dim"/> (all dims when null); norm "backward", "forward" or "ortho".</summary>
        public static Tensor fftn(Tensor x, long[]? dim = null, string norm = "backward") =>
            x.Result(tsh_fft_fftn(x.Handle, dim, dim?.Length ?? 0, 0, NormCode(norm)));

        /// <summary>N-dimensional inverse FFT (complex result).</summary>
        public static Tensor ifftn(Tensor x, long[]? dim = null, string norm = "backward") =>
            x.Result(tsh_fft_fftn(x.Handle, dim, dim?.Length ?? 0, 1, NormCode(norm)));

        private static int NormCode(string norm) => norm switch
        {
            "backward" => 0,
            "forward" => 1,
            "ortho" => 2,
            _ => throw new ArgumentException($"FFT norm must be backward, forward or ortho, got '{norm}'", nameof(norm)),
        };
    }
}

/// <summary>Restores the thread's previous grad mode when disposed (from <see cref="torch.no_grad"/>).</summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool previous;

    internal GradModeScope(bool enabled) => previous = CheckNonNegative(tsh_autograd_set_grad_enabled(enabled ? 1 : 0)) == 1;

    /// <summary>Restores the previous grad mode.</summary>
    public void Dispose() => tsh_autograd_set_grad_enabled(previous ? 1 : 0);
}
