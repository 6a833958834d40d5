using TorchBinding.Native;
using static TorchBinding.Native.NativeMethods;

namespace TorchBinding;

public partial class Tensor
{
    private Tensor Unary(UnaryOp op) => Result(tsh_op_unary(Handle, op));

    private Tensor UnaryInPlace(UnaryOp op)
    {
        Done(tsh_op_unary_(Handle, op));
        return this;
    }

    private Tensor Binary(Tensor other, BinaryOp op)
    {
        var result = Result(tsh_op_binary(Handle, other.Handle, op));
        GC.KeepAlive(other);
        return result;
    }

    private Tensor Binary(double other, BinaryOp op) => Result(tsh_op_binary_scalar(Handle, other, op));

    private Tensor BinaryInPlace(Tensor other, BinaryOp op)
    {
        Done(tsh_op_binary_(Handle, other.Handle, op));
        GC.KeepAlive(other);
        return this;
    }

    private Tensor BinaryInPlace(double other, BinaryOp op)
    {
        Done(tsh_op_binary_scalar_(Handle, other, op));
        return this;
    }

    private Tensor Reduce(ReduceOp op, long[]? dims, bool keepdim) =>
        Result(tsh_op_reduce(Handle, op, dims, dims?.Length ?? 0, keepdim ? 1 : 0));

    // ---- element-wise, new tensors

    /// <summary>−x</summary>
    public Tensor neg() => Unary(UnaryOp.Neg);
    /// <summary>eˣ</summary>
    public Tensor exp() => Unary(UnaryOp.Exp);
    /// <summary>natural logarithm</summary>
    public Tensor log() => Unary(UnaryOp.Log);
    /// <summary>ln(1 + x)</summary>
    public Tensor log1p() => Unary(UnaryOp.Log1p);
    /// <summary>eˣ − 1</summary>
    public Tensor expm1() => Unary(UnaryOp.Expm1);
    /// <summary>hyperbolic tangent</summary>
    public Tensor tanh() => Unary(UnaryOp.Tanh);
    /// <summary>logistic sigmoid</summary>
    public Tensor sigmoid() => Unary(UnaryOp.Sigmoid);
    /// <summary>max(x, 0)</summary>
    public Tensor relu() => Unary(UnaryOp.Relu);
    /// <summary>|x|</summary>
    public Tensor abs() => Unary(UnaryOp.Abs);
    /// <summary>√x</summary>
    public Tensor sqrt() => Unary(UnaryOp.Sqrt);
    /// <summary>1/√x</summary>
    public Tensor rsqrt() => Unary(UnaryOp.Rsqrt);
    /// <summary>x²</summary>
    public Tensor square() => Unary(UnaryOp.Square);
    /// <summary>sign of x (−1, 0, 1)</summary>
    public Tensor sign() => Unary(UnaryOp.Sign);
    /// <summary>round down</summary>
    public Tensor floor() => Unary(UnaryOp.Floor);
    /// <summary>round up</summary>
    public Tensor ceil() => Unary(UnaryOp.Ceil);
    /// <summary>round half to even</summary>
    public Tensor round() => Unary(UnaryOp.Round);
    /// <summary>sine</summary>
    public Tensor sin() => Unary(UnaryOp.Sin);
    /// <summary>cosine</summary>
    public Tensor cos() => Unary(UnaryOp.Cos);
    /// <summary>1/x</summary>
    public Tensor reciprocal() => Unary(UnaryOp.Reciprocal);
    /// <summary>logical not (bool result)</summary>
    public Tensor logical_not() => Unary(UnaryOp.LogicalNot);
    /// <summary>NaN test (bool result)</summary>
    public Tensor isnan() => Unary(UnaryOp.IsNan);
    /// <summary>infinity test (bool result)</summary>
    public Tensor isinf() => Unary(UnaryOp.IsInf);
    /// <summary>finite test (bool result)</summary>
    public Tensor isfinite() => Unary(UnaryOp.IsFinite);

    /// <summary>x + y (broadcasting)</summary>
    public Tensor add(Tensor other) => Binary(other, BinaryOp.Add);
    /// <summary>x + alpha·y (broadcasting)</summary>
    public Tensor add(Tensor other, double alpha)
    {
        var result = Result(tsh_op_add_scaled(Handle, other.Handle, alpha));
        GC.KeepAlive(other);
        return result;
    }
    /// <summary>x + s</summary>
    public Tensor add(double other) => Binary(other, BinaryOp.Add);
    /// <summary>x − y</summary>
    public Tensor sub(Tensor other) => Binary(other, BinaryOp.Sub);
    /// <summary>x − s</summary>
    public Tensor sub(double other) => Binary(other, BinaryOp.Sub);
    /// <summary>x · y</summary>
    public Tensor mul(Tensor other) => Binary(other, BinaryOp.Mul);
    /// <summary>x · s</summary>
    public Tensor mul(double other) => Binary(other, BinaryOp.Mul);
    /// <summary>x / y (true division)</summary>
    public Tensor div(Tensor other) => Binary(other, BinaryOp.Div);
    /// <summary>x / s</summary>
    public Tensor div(double other) => Binary(other, BinaryOp.Div);
    /// <summary>xʸ</summary>
    public Tensor pow(Tensor exponent) => Binary(exponent, BinaryOp.Pow);
    /// <summary>xˢ</summary>
    public Tensor pow(double exponent) => Binary(exponent, BinaryOp.Pow);
    /// <summary>x mod y, with the sign of y</summary>
    public Tensor remainder(double other) => Binary(other, BinaryOp.Remainder);
    /// <summary>floor(x / s)</summary>
    public Tensor floor_divide(double other) => Binary(other, BinaryOp.FloorDivide);
    /// <summary>element-wise maximum</summary>
    public Tensor maximum(Tensor other) => Binary(other, BinaryOp.Maximum);
    /// <summary>element-wise minimum</summary>
    public Tensor minimum(Tensor other) => Binary(other, BinaryOp.Minimum);
    /// <summary>x == y (bool)</summary>
    public Tensor eq(Tensor other) => Binary(other, BinaryOp.Eq);
    /// <summary>x == s (bool)</summary>
    public Tensor eq(double other) => Binary(other, BinaryOp.Eq);
    /// <summary>x != y (bool)</summary>
    public Tensor ne(Tensor other) => Binary(other, BinaryOp.Ne);
    /// <summary>x != s (bool)</summary>
    public Tensor ne(double other) => Binary(other, BinaryOp.Ne);
    /// <summary>x &lt; y (bool)</summary>
    public Tensor lt(Tensor other) => Binary(other, BinaryOp.Lt);
    /// <summary>x &lt; s (bool)</summary>
    public Tensor lt(double other) => Binary(other, BinaryOp.Lt);
    /// <summary>x ≤ y (bool)</summary>
    public Tensor le(Tensor other) => Binary(other, BinaryOp.Le);
    /// <summary>x ≤ s (bool)</summary>
    public Tensor le(double other) => Binary(other, BinaryOp.Le);
    /// <summary>x &gt; y (bool)</summary>
    public Tensor gt(Tensor other) => Binary(other, BinaryOp.Gt);
    /// <summary>x &gt; s (bool)</summary>
    public Tensor gt(double other) => Binary(other, BinaryOp.Gt);
    /// <summary>x ≥ y (bool)</summary>
    public Tensor ge(Tensor other) => Binary(other, BinaryOp.Ge);
    /// <summary>x ≥ s (bool)</summary>
    public Tensor ge(double other) => Binary(other, BinaryOp.Ge);
    /// <summary>logical and</summary>
    public Tensor logical_and(Tensor other) => Binary(other, BinaryOp.LogicalAnd);
    /// <summary>logical or</summary>
    public Tensor logical_or(Tensor other) => Binary(other, BinaryOp.LogicalOr);
    /// <summary>logical exclusive or</summary>
    public Tensor logical_xor(Tensor other) => Binary(other, BinaryOp.LogicalXor);

    /// <summary>Clamps into [min, max]; a null bound is open.</summary>
    public Tensor clamp(double? min = null, double? max = null) =>
        Result(tsh_op_clamp(Handle, min ?? 0, min.HasValue ? 1 : 0, max ?? 0, max.HasValue ? 1 : 0));

    /// <summary>x + value · t1 · t2</summary>
    public Tensor addcmul(Tensor t1, Tensor t2, double value = 1)
    {
        var result = Result(tsh_op_addcmul(Handle, t1.Handle, t2.Handle, value));
        GC.KeepAlive(t1);
        GC.KeepAlive(t2);
        return result;
    }

    /// <summary>Copy where <paramref name="mask"/> is true replaced by <paramref name="value"/>.</summary>
    public Tensor masked_fill(Tensor mask, double value)
    {
        var result = Result(tsh_op_masked_fill(Handle, mask.Handle, value));
        GC.KeepAlive(mask);
        return result;
    }

    // ---- in place (names end in '_', as in PyTorch)

    /// <summary>x += y</summary>
    public Tensor add_(Tensor other) => BinaryInPlace(other, BinaryOp.Add);
    /// <summary>x += alpha·y</summary>
    public Tensor add_(Tensor other, double alpha)
    {
        Done(tsh_op_add_scaled_(Handle, other.Handle, alpha));
        GC.KeepAlive(other);
        return this;
    }
    /// <summary>x += s</summary>
    public Tensor add_(double other) => BinaryInPlace(other, BinaryOp.Add);
    /// <summary>x −= y</summary>
    public Tensor sub_(Tensor other) => BinaryInPlace(other, BinaryOp.Sub);
    /// <summary>x −= s</summary>
    public Tensor sub_(double other) => BinaryInPlace(other, BinaryOp.Sub);
    /// <summary>x ·= y</summary>
    public Tensor mul_(Tensor other) => BinaryInPlace(other, BinaryOp.Mul);
    /// <summary>x ·= s</summary>
    public Tensor mul_(double other) => BinaryInPlace(other, BinaryOp.Mul);
    /// <summary>x /= y</summary>
    public Tensor div_(Tensor other) => BinaryInPlace(other, BinaryOp.Div);
    /// <summary>x /= s</summary>
    public Tensor div_(double other) => BinaryInPlace(other, BinaryOp.Div);
    /// <summary>x = max(x, s)</summary>
    public Tensor clamp_min_(double min) => BinaryInPlace(min, BinaryOp.Maximum);
    /// <summary>x = min(x, s)</summary>
    public Tensor clamp_max_(double max) => BinaryInPlace(max, BinaryOp.Minimum);
    /// <summary>x = max(x, 0)</summary>
    public Tensor relu_() => UnaryInPlace(UnaryOp.Relu);
    /// <summary>x = sigmoid(x)</summary>
    public Tensor sigmoid_() => UnaryInPlace(UnaryOp.Sigmoid);
    /// <summary>x = tanh(x)</summary>
    public Tensor tanh_() => UnaryInPlace(UnaryOp.Tanh);
    /// <summary>x = eˣ</summary>
    public Tensor exp_() => UnaryInPlace(UnaryOp.Exp);
    /// <summary>x = −x</summary>
    public Tensor neg_() => UnaryInPlace(UnaryOp.Neg);
    /// <summary>x = √x</summary>
    public Tensor sqrt_() => UnaryInPlace(UnaryOp.Sqrt);

    /// <summary>Copies <paramref name="source"/>'s values into this tensor (broadcasting, converting type/device).</summary>
    public Tensor copy_(Tensor source)
    {
        Done(tsh_op_copy_(Handle, source.Handle));
        GC.KeepAlive(source);
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public Tensor fill_(double value)
    {
        Done(tsh_op_fill_(Handle, value));
        return this;
    }

    /// <summary>Sets every element to 0.</summary>
    public Tensor zero_() => fill_(0);

    /// <summary>Fills with U(low, high) from the global generator (no autograd).</summary>
    public Tensor uniform_(double low = 0, double high = 1)
    {
        Done(tsh_op_random_(Handle, 0, low, high));
        return this;
    }

    /// <summary>Fills with N(mean, std²) from the global generator (no autograd).</summary>
    public Tensor normal_(double mean = 0, double std = 1)
    {
        Done(tsh_op_random_(Handle, 1, mean, std));
        return this;
    }

    // ---- reductions

    /// <summary>Sum of all elements.</summary>
    public Tensor sum() => Reduce(ReduceOp.Sum, null, false);
    /// <summary>Sum over one dimension.</summary>
    public Tensor sum(long dim, bool keepdim = false) => Reduce(ReduceOp.Sum, [dim], keepdim);
    /// <summary>Sum over several dimensions.</summary>
    public Tensor sum(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Sum, dims, keepdim);
    /// <summary>Mean of all elements.</summary>
    public Tensor mean() => Reduce(ReduceOp.Mean, null, false);
    /// <summary>Mean over one dimension.</summary>
    public Tensor mean(long dim, bool keepdim = false) => Reduce(ReduceOp.Mean, [dim], keepdim);
    /// <summary>Mean over several dimensions.</summary>
    public Tensor mean(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Mean, dims, keepdim);
    /// <summary>Maximum of all elements.</summary>
    public Tensor max() => Reduce(ReduceOp.Amax, null, false);
    /// <summary>Minimum of all elements.</summary>
    public Tensor min() => Reduce(ReduceOp.Amin, null, false);
    /// <summary>Maximum over dimensions (values only).</summary>
    public Tensor amax(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Amax, dims, keepdim);
    /// <summary>Minimum over dimensions (values only).</summary>
    public Tensor amin(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Amin, dims, keepdim);
    /// <summary>Product of all elements.</summary>
    public Tensor prod() => Reduce(ReduceOp.Prod, null, false);
    /// <summary>Sample standard deviation of all elements.</summary>
    public Tensor std() => Reduce(ReduceOp.Std, null, false);
    /// <summary>Sample standard deviation over dimensions.</summary>
    public Tensor std(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Std, dims, keepdim);
    /// <summary>Sample variance of all elements.</summary>
    public Tensor var() => Reduce(ReduceOp.Var, null, false);
    /// <summary>Sample (unbiased) variance over dimensions.</summary>
    public Tensor var(long dim, bool keepdim = false) => Reduce(ReduceOp.Var, [dim], keepdim);
    /// <summary>Whether any element is true/non-zero.</summary>
    public Tensor any() => Reduce(ReduceOp.Any, null, false);
    /// <summary>Whether all elements are true/non-zero.</summary>
    public Tensor all() => Reduce(ReduceOp.All, null, false);
    /// <summary>Euclidean norm of all elements.</summary>
    public Tensor norm() => Reduce(ReduceOp.Norm, null, false);
    /// <summary>Index of the maximum over one dimension.</summary>
    public Tensor argmax(long dim, bool keepdim = false) => Result(tsh_op_argmax(Handle, dim, keepdim ? 1 : 0, 0));
    /// <summary>Flat index of the maximum.</summary>
    public Tensor argmax() => Result(tsh_op_argmax(Handle, 0, 0, 1));
    /// <summary>Index of the minimum over one dimension.</summary>
    public Tensor argmin(long dim, bool keepdim = false) => Result(tsh_op_argmin(Handle, dim, keepdim ? 1 : 0, 0));

    // ---- shapes

    /// <summary>Same elements in a new shape (−1 infers one size); a view where possible.</summary>
    public Tensor reshape(params long[] newShape) => Result(tsh_op_reshape(Handle, newShape, newShape.Length));
    /// <summary>Alias of <see cref="reshape"/>.</summary>
    public Tensor view(params long[] newShape) => reshape(newShape);
    /// <summary>Reorders dimensions (a view).</summary>
    public Tensor permute(params long[] order) => Result(tsh_op_permute(Handle, order, order.Length));
    /// <summary>Swaps two dimensions (a view).</summary>
    public Tensor transpose(long dim0, long dim1) => Result(tsh_op_transpose(Handle, dim0, dim1));
    /// <summary>Broadcasts singleton dimensions to a larger shape (a view).</summary>
    public Tensor expand(params long[] newShape) => Result(tsh_op_expand(Handle, newShape, newShape.Length));
    /// <summary>Tiles the tensor.</summary>
    public Tensor repeat(params long[] repeats) => Result(tsh_op_repeat(Handle, repeats, repeats.Length));
    /// <summary>Reverses the order along the given dimensions.</summary>
    public Tensor flip(params long[] dims) => Result(tsh_op_flip(Handle, dims, dims.Length));
    /// <summary>Rotates by k·90° in the plane of two dimensions.</summary>
    public Tensor rot90(long k, long dim0, long dim1) => Result(tsh_op_rot90(Handle, k, dim0, dim1));
    /// <summary>Removes all size-1 dimensions.</summary>
    public Tensor squeeze() => Result(tsh_op_squeeze(Handle, 0, 1));
    /// <summary>Removes dimension <paramref name="dim"/> if its size is 1.</summary>
    public Tensor squeeze(long dim) => Result(tsh_op_squeeze(Handle, dim, 0));
    /// <summary>Inserts a size-1 dimension.</summary>
    public Tensor unsqueeze(long dim) => Result(tsh_op_unsqueeze(Handle, dim));
    /// <summary>Merges dimensions start..end into one.</summary>
    public Tensor flatten(long start = 0, long end = -1) => Result(tsh_op_flatten(Handle, start, end));
    /// <summary>A contiguous copy (or this tensor's data when already contiguous).</summary>
    public Tensor contiguous() => Result(tsh_op_contiguous(Handle));
    /// <summary>A copy that stays in the autograd graph.</summary>
    public Tensor clone() => Result(tsh_op_clone(Handle));
    /// <summary>Elements start..start+length along a dimension (a view).</summary>
    public Tensor narrow(long dim, long start, long length) => Result(tsh_op_narrow(Handle, dim, start, length));
    /// <summary>Elements start..end (exclusive) with a step along a dimension (a view).</summary>
    public Tensor slice(long dim, long start, long end, long step = 1) => Result(tsh_op_slice(Handle, dim, start, end, step));
    /// <summary>The sub-tensor at <paramref name="index"/> along a dimension, which is removed (a view).</summary>
    public Tensor select(long dim, long index) => Result(tsh_op_select(Handle, dim, index));
    /// <summary>Elements at the given int64 indices along a dimension.</summary>
    public Tensor index_select(long dim, Tensor index)
    {
        var result = Result(tsh_op_index_select(Handle, dim, index.Handle));
        GC.KeepAlive(index);
        return result;
    }
    /// <summary>Gathers values along a dimension with an int64 index tensor.</summary>
    public Tensor gather(long dim, Tensor index)
    {
        var result = Result(tsh_op_gather(Handle, dim, index.Handle));
        GC.KeepAlive(index);
        return result;
    }

    // ---- operators

    /// <summary>Sum.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
    /// <summary>Sum with a scalar.</summary>
    public static Tensor operator +(Tensor a, double b) => a.add(b);
    /// <summary>Sum with a scalar.</summary>
    public static Tensor operator +(double a, Tensor b) => b.add(a);
    /// <summary>Difference.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
    /// <summary>Difference with a scalar.</summary>
    public static Tensor operator -(Tensor a, double b) => a.sub(b);
    /// <summary>Scalar minus tensor.</summary>
    public static Tensor operator -(double a, Tensor b) => b.Binary(a, BinaryOp.ReverseSub);
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.neg();
    /// <summary>Product.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
    /// <summary>Product with a scalar.</summary>
    public static Tensor operator *(Tensor a, double b) => a.mul(b);
    /// <summary>Product with a scalar.</summary>
    public static Tensor operator *(double a, Tensor b) => b.mul(a);
    /// <summary>Quotient.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
    /// <summary>Quotient by a scalar.</summary>
    public static Tensor operator /(Tensor a, double b) => a.div(b);
    /// <summary>Scalar divided by tensor.</summary>
    public static Tensor operator /(double a, Tensor b) => b.Binary(a, BinaryOp.ReverseDiv);
}
