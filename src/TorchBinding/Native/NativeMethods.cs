using System.Runtime.InteropServices;

namespace TorchBinding.Native;

/// <summary>
/// Imports of the shim's C ABI (src/native/include/torch_shim.h). Handles are raw pointers here;
/// <see cref="Tensor"/> owns them. Functions return NULL, -1 or 0 on failure, with the message in
/// <see cref="tsh_last_error"/>; <c>Check</c> turns that into a <see cref="TorchException"/>.
/// </summary>
internal static class NativeMethods
{
    private const string Lib = NativeLibraryLoader.ShimName;

    static NativeMethods() => NativeLibraryLoader.Register();

    internal static string LastError()
    {
        var message = Marshal.PtrToStringUTF8(tsh_last_error());
        return string.IsNullOrEmpty(message) ? "libtorch reported a failure without a message" : message;
    }

    internal static IntPtr Check(IntPtr handle) => handle != IntPtr.Zero ? handle : throw new TorchException(LastError());

    internal static void Check(int status)
    {
        if (status != 1) throw new TorchException(LastError());
    }

    internal static int CheckNonNegative(int value) => value >= 0 ? value : throw new TorchException(LastError());

    internal static long CheckNonNegative(long value) => value >= 0 ? value : throw new TorchException(LastError());

    // ---- runtime
    [DllImport(Lib)] internal static extern IntPtr tsh_last_error();
    [DllImport(Lib)] internal static extern IntPtr tsh_runtime_version();
    [DllImport(Lib)] internal static extern int tsh_runtime_set_num_threads(int n);
    [DllImport(Lib)] internal static extern int tsh_runtime_get_num_threads();
    [DllImport(Lib)] internal static extern int tsh_runtime_manual_seed(ulong seed);
    [DllImport(Lib)] internal static extern int tsh_runtime_cuda_is_available();
    [DllImport(Lib)] internal static extern int tsh_runtime_cuda_device_count();
    [DllImport(Lib)] internal static extern int tsh_runtime_set_deterministic(int on);
    [DllImport(Lib)] internal static extern long tsh_runtime_live_tensors();

    // ---- tensors
    [DllImport(Lib)] internal static extern void tsh_tensor_free(IntPtr h);
    [DllImport(Lib)] internal static extern IntPtr tsh_tensor_new(int kind, long[] shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern IntPtr tsh_tensor_full(long[] shape, int ndim, double value, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern IntPtr tsh_tensor_randint(long low, long high, long[] shape, int ndim, int dtype, int deviceType, int deviceIndex);
    [DllImport(Lib)] internal static extern IntPtr tsh_tensor_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex);
    [DllImport(Lib)] internal static extern unsafe IntPtr tsh_tensor_from_data(void* data, long bytes, long[] shape, int ndim, int dtype);
    [DllImport(Lib)] internal static extern unsafe int tsh_tensor_copy_to(IntPtr h, void* destination, long bytes);
    [DllImport(Lib)] internal static extern int tsh_tensor_ndim(IntPtr h);
    [DllImport(Lib)] internal static extern int tsh_tensor_shape(IntPtr h, long[] shape, int capacity);
    [DllImport(Lib)] internal static extern int tsh_tensor_dtype(IntPtr h);
    [DllImport(Lib)] internal static extern int tsh_tensor_device(IntPtr h, out int index);
    [DllImport(Lib)] internal static extern long tsh_tensor_numel(IntPtr h);
    [DllImport(Lib)] internal static extern int tsh_tensor_item(IntPtr h, out double value);
    [DllImport(Lib)] internal static extern IntPtr tsh_tensor_to(IntPtr h, int dtype, int deviceType, int deviceIndex, int copy);
    [DllImport(Lib)] internal static extern IntPtr tsh_tensor_shallow_copy(IntPtr h);
    [DllImport(Lib)] internal static extern int tsh_tensor_to_string(IntPtr h, byte[] buffer, int capacity);

    // ---- ops
    [DllImport(Lib)] internal static extern IntPtr tsh_op_unary(IntPtr x, UnaryOp code);
    [DllImport(Lib)] internal static extern int tsh_op_unary_(IntPtr x, UnaryOp code);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_binary(IntPtr a, IntPtr b, BinaryOp code);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_binary_scalar(IntPtr a, double s, BinaryOp code);
    [DllImport(Lib)] internal static extern int tsh_op_binary_(IntPtr a, IntPtr b, BinaryOp code);
    [DllImport(Lib)] internal static extern int tsh_op_binary_scalar_(IntPtr a, double s, BinaryOp code);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_add_scaled(IntPtr a, IntPtr b, double alpha);
    [DllImport(Lib)] internal static extern int tsh_op_add_scaled_(IntPtr a, IntPtr b, double alpha);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_reduce(IntPtr x, ReduceOp code, long[]? dims, int ndim, int keepdim);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_argmax(IntPtr x, long dim, int keepdim, int all);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_argmin(IntPtr x, long dim, int keepdim, int all);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_clamp(IntPtr x, double min, int hasMin, double max, int hasMax);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_where(IntPtr condition, IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_addcmul(IntPtr self, IntPtr t1, IntPtr t2, double value);
    [DllImport(Lib)] internal static extern int tsh_op_copy_(IntPtr destination, IntPtr source);
    [DllImport(Lib)] internal static extern int tsh_op_fill_(IntPtr x, double value);
    [DllImport(Lib)] internal static extern int tsh_op_random_(IntPtr x, int kind, double a, double b);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_bernoulli(IntPtr probabilities);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_reshape(IntPtr x, long[] shape, int ndim);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_permute(IntPtr x, long[] order, int ndim);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_expand(IntPtr x, long[] shape, int ndim);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_repeat(IntPtr x, long[] repeats, int ndim);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_flip(IntPtr x, long[] axes, int n);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_rot90(IntPtr x, long k, long dim0, long dim1);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_transpose(IntPtr x, long dim0, long dim1);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_squeeze(IntPtr x, long dim, int all);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_unsqueeze(IntPtr x, long dim);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_flatten(IntPtr x, long start, long end);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_contiguous(IntPtr x);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_clone(IntPtr x);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_narrow(IntPtr x, long dim, long start, long length);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_slice(IntPtr x, long dim, long start, long end, long step);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_select(IntPtr x, long dim, long index);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_index_select(IntPtr x, long dim, IntPtr index);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_gather(IntPtr x, long dim, IntPtr index);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_masked_fill(IntPtr x, IntPtr mask, double value);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_cat(IntPtr[] handles, int count, long dim);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_stack(IntPtr[] handles, int count, long dim);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_pad(IntPtr x, long[] pads, int n, double value);
    [DllImport(Lib)] internal static extern IntPtr tsh_op_one_hot(IntPtr x, long classes);
    [DllImport(Lib)] internal static extern int tsh_op_allclose(IntPtr a, IntPtr b, double rtol, double atol);

    // ---- nn
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_conv3d(IntPtr x, IntPtr weight, IntPtr bias, long[] stride, long[] padding, long[] dilation, long groups);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_conv2d(IntPtr x, IntPtr weight, IntPtr bias, long[] stride, long[] padding, long[] dilation, long groups);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_conv_transpose3d(IntPtr x, IntPtr weight, IntPtr bias, long[] stride, long[] padding, long[] outputPadding, long groups, long[] dilation);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_batch_norm(IntPtr x, IntPtr weight, IntPtr bias, IntPtr runningMean, IntPtr runningVar, int training, double momentum, double eps);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_group_norm(IntPtr x, long groups, IntPtr weight, IntPtr bias, double eps);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_instance_norm(IntPtr x, IntPtr weight, IntPtr bias, double eps);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_dropout(IntPtr x, double p, int training, int feature);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_softmax(IntPtr x, long dim, int log);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_leaky_relu(IntPtr x, double slope);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_linear(IntPtr x, IntPtr weight, IntPtr bias);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_cross_entropy(IntPtr logits, IntPtr target, IntPtr weight, int reduction, long ignoreIndex, double labelSmoothing);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_mse_loss(IntPtr input, IntPtr target, int reduction);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_bce_with_logits(IntPtr logits, IntPtr target, int reduction);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_bce(IntPtr probabilities, IntPtr target, int reduction);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_avg_pool3d(IntPtr x, long[] kernel, long[] stride, long[] padding);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_max_pool3d(IntPtr x, long[] kernel, long[] stride, long[] padding);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_adaptive_avg_pool3d(IntPtr x, long[] outputSize);
    [DllImport(Lib)] internal static extern IntPtr tsh_nn_interpolate3d(IntPtr x, long[] size, int mode, int alignCorners);
    [DllImport(Lib)] internal static extern IntPtr tsh_fft_fftn(IntPtr x, long[]? dims, int ndim, int inverse, int norm);
    [DllImport(Lib)] internal static extern IntPtr tsh_fft_part(IntPtr x, int part);
    [DllImport(Lib)] internal static extern IntPtr tsh_fft_complex(IntPtr real, IntPtr imag);

    // ---- autograd
    [DllImport(Lib)] internal static extern int tsh_autograd_backward(IntPtr x, IntPtr gradient, int retainGraph);
    [DllImport(Lib)] internal static extern IntPtr tsh_autograd_grad(IntPtr x);
    [DllImport(Lib)] internal static extern int tsh_autograd_set_grad(IntPtr x, IntPtr gradient);
    [DllImport(Lib)] internal static extern int tsh_autograd_requires_grad(IntPtr x);
    [DllImport(Lib)] internal static extern int tsh_autograd_set_requires_grad(IntPtr x, int on);
    [DllImport(Lib)] internal static extern int tsh_autograd_is_leaf(IntPtr x);
    [DllImport(Lib)] internal static extern IntPtr tsh_autograd_detach(IntPtr x);
    [DllImport(Lib)] internal static extern int tsh_autograd_set_data(IntPtr x, IntPtr source);
    [DllImport(Lib)] internal static extern int tsh_autograd_set_grad_enabled(int on);
    [DllImport(Lib)] internal static extern int tsh_autograd_is_grad_enabled();

    // ---- optim
    [DllImport(Lib)] internal static extern int tsh_optim_sgd_step(IntPtr param, IntPtr momentumBuffer, int initialized, double lr, double momentum, double dampening, double weightDecay, int nesterov);
    [DllImport(Lib)] internal static extern int tsh_optim_adam_step(IntPtr param, IntPtr expAvg, IntPtr expAvgSq, long step, double lr, double beta1, double beta2, double eps, double weightDecay);
    [DllImport(Lib)] internal static extern int tsh_optim_zero_grad(IntPtr[] parameters, int count, int setToNone);
}
