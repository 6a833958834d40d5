// Element-wise arithmetic, comparisons, reductions and shape manipulation.
// Families of ops share one entry point selected by a code; the codes are mirrored in
// src/TorchBinding/Native/OpCodes.cs and must stay in the same order.
#include "shim_common.h"

using tsh::dims;
using tsh::ref;
using tsh::wrap;

namespace {

// Scalars arrive as doubles; integer tensors get an integer scalar when the value is whole, so
// `counter += 1` on an int64 tensor stays an int64 op, as it does in PyTorch.
at::Scalar scalar_for(const at::Tensor& t, double s) {
  if (at::isIntegralType(t.scalar_type(), /*includeBool=*/false) && s == static_cast<double>(static_cast<int64_t>(s)))
    return at::Scalar(static_cast<int64_t>(s));
  return at::Scalar(s);
}


enum Unary {
  kNeg, kExp, kLog, kTanh, kSigmoid, kRelu, kAbs, kSqrt, kSquare, kSign, kFloor, kCeil, kRound,
  kLogicalNot, kSin, kCos, kReciprocal, kLog1p, kExpm1, kIsNan, kIsInf, kRsqrt, kIsFinite
};

at::Tensor unary(const at::Tensor& x, int code) {
  switch (code) {
    case kNeg: return x.neg();
    case kExp: return x.exp();
    case kLog: return x.log();
    case kTanh: return x.tanh();
    case kSigmoid: return x.sigmoid();
    case kRelu: return x.relu();
    case kAbs: return x.abs();
    case kSqrt: return x.sqrt();
    case kSquare: return x.square();
    case kSign: return x.sign();
    case kFloor: return x.floor();
    case kCeil: return x.ceil();
    case kRound: return x.round();
    case kLogicalNot: return x.logical_not();
    case kSin: return x.sin();
    case kCos: return x.cos();
    case kReciprocal: return x.reciprocal();
    case kLog1p: return x.log1p();
    case kExpm1: return x.expm1();
    case kIsNan: return x.isnan();
    case kIsInf: return x.isinf();
    case kRsqrt: return x.rsqrt();
    case kIsFinite: return x.isfinite();
    default: throw std::invalid_argument("unknown unary op code " + std::to_string(code));
  }
}

void unary_inplace(at::Tensor& x, int code) {
  switch (code) {
    case kNeg: x.neg_(); return;
    case kExp: x.exp_(); return;
    case kLog: x.log_(); return;
    case kTanh: x.tanh_(); return;
    case kSigmoid: x.sigmoid_(); return;
    case kRelu: x.relu_(); return;
    case kAbs: x.abs_(); return;
    case kSqrt: x.sqrt_(); return;
    case kSquare: x.square_(); return;
    case kFloor: x.floor_(); return;
    case kCeil: x.ceil_(); return;
    case kRound: x.round_(); return;
    case kReciprocal: x.reciprocal_(); return;
    default: throw std::invalid_argument("unary op code " + std::to_string(code) + " has no in-place form");
  }
}

enum Binary {
  kAdd, kSub, kMul, kDiv, kPow, kEq, kNe, kLt, kLe, kGt, kGe, kMaximum, kMinimum, kLogicalAnd,
  kLogicalOr, kRemainder, kAtan2, kReverseSub, kReverseDiv, kReversePow, kFloorDivide, kLogicalXor
};

at::Tensor binary(const at::Tensor& a, const at::Tensor& b, int code) {
  switch (code) {
    case kAdd: return a.add(b);
    case kSub: return a.sub(b);
    case kMul: return a.mul(b);
    case kDiv: return a.div(b);
    case kPow: return a.pow(b);
    case kEq: return a.eq(b);
    case kNe: return a.ne(b);
    case kLt: return a.lt(b);
    case kLe: return a.le(b);
    case kGt: return a.gt(b);
    case kGe: return a.ge(b);
    case kMaximum: return at::maximum(a, b);
    case kMinimum: return at::minimum(a, b);
    case kLogicalAnd: return a.logical_and(b);
    case kLogicalOr: return a.logical_or(b);
    case kRemainder: return a.remainder(b);
    case kAtan2: return a.atan2(b);
    case kReverseSub: return b.sub(a);
    case kReverseDiv: return b.div(a);
    case kReversePow: return b.pow(a);
    case kFloorDivide: return a.div(b, "floor");
    case kLogicalXor: return a.logical_xor(b);
    default: throw std::invalid_argument("unknown binary op code " + std::to_string(code));
  }
}

at::Tensor binary_scalar(const at::Tensor& a, double s, int code) {
  const at::Scalar sc = scalar_for(a, s);
  switch (code) {
    case kAdd: return a.add(sc);
    case kSub: return a.sub(sc);
    case kMul: return a.mul(sc);
    case kDiv: return a.div(sc);
    case kPow: return a.pow(sc);
    case kEq: return a.eq(sc);
    case kNe: return a.ne(sc);
    case kLt: return a.lt(sc);
    case kLe: return a.le(sc);
    case kGt: return a.gt(sc);
    case kGe: return a.ge(sc);
    case kMaximum: return a.clamp_min(sc);
    case kMinimum: return a.clamp_max(sc);
    case kRemainder: return a.remainder(sc);
    case kReverseSub: return at::rsub(a, sc);
    case kReverseDiv: return a.reciprocal().mul(sc);
    case kReversePow: return at::pow(at::Scalar(sc), a);
    case kFloorDivide: return a.div(at::Scalar(sc), "floor");
    default: throw std::invalid_argument("binary op code " + std::to_string(code) + " has no scalar form");
  }
}

void binary_inplace(at::Tensor& a, const at::Tensor& b, int code) {
  switch (code) {
    case kAdd: a.add_(b); return;
    case kSub: a.sub_(b); return;
    case kMul: a.mul_(b); return;
    case kDiv: a.div_(b); return;
    case kPow: a.pow_(b); return;
    case kMaximum: at::maximum_out(a, a, b); return;
    case kMinimum: at::minimum_out(a, a, b); return;
    default: throw std::invalid_argument("binary op code " + std::to_string(code) + " has no in-place form");
  }
}

void binary_scalar_inplace(at::Tensor& a, double s, int code) {
  const at::Scalar sc = scalar_for(a, s);
  switch (code) {
    case kAdd: a.add_(sc); return;
    case kSub: a.sub_(sc); return;
    case kMul: a.mul_(sc); return;
    case kDiv: a.div_(sc); return;
    case kPow: a.pow_(sc); return;
    case kMaximum: a.clamp_min_(sc); return;
    case kMinimum: a.clamp_max_(sc); return;
    default: throw std::invalid_argument("binary op code " + std::to_string(code) + " has no in-place scalar form");
  }
}

enum Reduce { kSum, kMean, kAmax, kAmin, kProd, kStd, kVar, kAny, kAll, kNorm };

}  // namespace

TSH_EXPORT tsh_tensor tsh_op_unary(tsh_tensor x, int code) { TSH_GUARD(nullptr, { return wrap(unary(ref(x), code)); }) }

TSH_EXPORT int tsh_op_unary_(tsh_tensor x, int code) {
  TSH_GUARD(0, {
    unary_inplace(ref(x), code);
    return 1;
  })
}

TSH_EXPORT tsh_tensor tsh_op_binary(tsh_tensor a, tsh_tensor b, int code) {
  TSH_GUARD(nullptr, { return wrap(binary(ref(a), ref(b), code)); })
}

TSH_EXPORT tsh_tensor tsh_op_binary_scalar(tsh_tensor a, double s, int code) {
  TSH_GUARD(nullptr, { return wrap(binary_scalar(ref(a), s, code)); })
}

TSH_EXPORT int tsh_op_binary_(tsh_tensor a, tsh_tensor b, int code) {
  TSH_GUARD(0, {
    binary_inplace(ref(a), ref(b), code);
    return 1;
  })
}

TSH_EXPORT int tsh_op_binary_scalar_(tsh_tensor a, double s, int code) {
  TSH_GUARD(0, {
    binary_scalar_inplace(ref(a), s, code);
    return 1;
  })
}

// a + alpha * b (alpha scales the second operand, as torch.add)
TSH_EXPORT tsh_tensor tsh_op_add_scaled(tsh_tensor a, tsh_tensor b, double alpha) {
  TSH_GUARD(nullptr, { return wrap(ref(a).add(ref(b), alpha)); })
}

TSH_EXPORT int tsh_op_add_scaled_(tsh_tensor a, tsh_tensor b, double alpha) {
  TSH_GUARD(0, {
    ref(a).add_(ref(b), alpha);
    return 1;
  })
}

// Reduction over `ndim` dims (all dims when ndim == 0).
TSH_EXPORT tsh_tensor tsh_op_reduce(tsh_tensor x, int code, const int64_t* dim, int ndim, int keepdim) {
  TSH_GUARD(nullptr, {
    auto& t = ref(x);
    bool all = ndim == 0;
    auto d = dims(dim, ndim);
    bool k = keepdim != 0;
    switch (code) {
      case kSum: return wrap(all ? t.sum() : t.sum(d, k));
      case kMean: return wrap(all ? t.mean() : t.mean(d, k));
      case kAmax: return wrap(all ? t.amax() : t.amax(d, k));
      case kAmin: return wrap(all ? t.amin() : t.amin(d, k));
      case kProd:
        if (all) return wrap(t.prod());
        if (ndim != 1) throw std::invalid_argument("prod reduces over one dim at a time");
        return wrap(t.prod(d[0], k));
      case kStd: return wrap(all ? t.std() : t.std(d, /*unbiased=*/true, k));
      case kVar: return wrap(all ? t.var() : t.var(d, /*unbiased=*/true, k));
      case kAny:
        if (all) return wrap(t.any());
        if (ndim != 1) throw std::invalid_argument("any reduces over one dim at a time");
        return wrap(t.any(d[0], k));
      case kAll:
        if (all) return wrap(t.all());
        if (ndim != 1) throw std::invalid_argument("all reduces over one dim at a time");
        return wrap(t.all(d[0], k));
      case kNorm: return wrap(all ? t.norm() : at::norm(t, 2, d, k));
      default: throw std::invalid_argument("unknown reduction code " + std::to_string(code));
    }
  })
}

TSH_EXPORT tsh_tensor tsh_op_argmax(tsh_tensor x, int64_t dim, int keepdim, int all) {
  TSH_GUARD(nullptr, { return wrap(all ? ref(x).argmax() : ref(x).argmax(dim, keepdim != 0)); })
}

TSH_EXPORT tsh_tensor tsh_op_argmin(tsh_tensor x, int64_t dim, int keepdim, int all) {
  TSH_GUARD(nullptr, { return wrap(all ? ref(x).argmin() : ref(x).argmin(dim, keepdim != 0)); })
}

TSH_EXPORT tsh_tensor tsh_op_clamp(tsh_tensor x, double min, int has_min, double max, int has_max) {
  TSH_GUARD(nullptr, {
    c10::optional<at::Scalar> lo = has_min ? c10::optional<at::Scalar>(min) : c10::nullopt;
    c10::optional<at::Scalar> hi = has_max ? c10::optional<at::Scalar>(max) : c10::nullopt;
    return wrap(ref(x).clamp(lo, hi));
  })
}

TSH_EXPORT tsh_tensor tsh_op_where(tsh_tensor condition, tsh_tensor a, tsh_tensor b) {
  TSH_GUARD(nullptr, { return wrap(at::where(ref(condition), ref(a), ref(b))); })
}

TSH_EXPORT tsh_tensor tsh_op_addcmul(tsh_tensor self, tsh_tensor t1, tsh_tensor t2, double value) {
  TSH_GUARD(nullptr, { return wrap(ref(self).addcmul(ref(t1), ref(t2), value)); })
}

TSH_EXPORT int tsh_op_copy_(tsh_tensor destination, tsh_tensor source) {
  TSH_GUARD(0, {
    ref(destination).copy_(ref(source));
    return 1;
  })
}

TSH_EXPORT int tsh_op_fill_(tsh_tensor x, double value) {
  TSH_GUARD(0, {
    ref(x).fill_(value);
    return 1;
  })
}

// In-place random fills used by weight initialisation: 0 uniform(a, b), 1 normal(mean=a, std=b).
TSH_EXPORT int tsh_op_random_(tsh_tensor x, int kind, double a, double b) {
  TSH_GUARD(0, {
    at::NoGradGuard no_grad;
    if (kind == 0) ref(x).uniform_(a, b);
    else if (kind == 1) ref(x).normal_(a, b);
    else throw std::invalid_argument("unknown random fill kind " + std::to_string(kind));
    return 1;
  })
}

TSH_EXPORT tsh_tensor tsh_op_bernoulli(tsh_tensor probabilities) {
  TSH_GUARD(nullptr, { return wrap(at::bernoulli(ref(probabilities))); })
}

// ---- shapes

TSH_EXPORT tsh_tensor tsh_op_reshape(tsh_tensor x, const int64_t* shape, int ndim) {
  TSH_GUARD(nullptr, { return wrap(ref(x).reshape(dims(shape, ndim))); })
}

TSH_EXPORT tsh_tensor tsh_op_permute(tsh_tensor x, const int64_t* order, int ndim) {
  TSH_GUARD(nullptr, { return wrap(ref(x).permute(dims(order, ndim))); })
}

TSH_EXPORT tsh_tensor tsh_op_expand(tsh_tensor x, const int64_t* shape, int ndim) {
  TSH_GUARD(nullptr, { return wrap(ref(x).expand(dims(shape, ndim))); })
}

TSH_EXPORT tsh_tensor tsh_op_repeat(tsh_tensor x, const int64_t* repeats, int ndim) {
  TSH_GUARD(nullptr, { return wrap(ref(x).repeat(dims(repeats, ndim))); })
}

TSH_EXPORT tsh_tensor tsh_op_flip(tsh_tensor x, const int64_t* axes, int n) {
  TSH_GUARD(nullptr, { return wrap(ref(x).flip(dims(axes, n))); })
}

TSH_EXPORT tsh_tensor tsh_op_rot90(tsh_tensor x, int64_t k, int64_t dim0, int64_t dim1) {
  TSH_GUARD(nullptr, { return wrap(ref(x).rot90(k, {dim0, dim1})); })
}

TSH_EXPORT tsh_tensor tsh_op_transpose(tsh_tensor x, int64_t dim0, int64_t dim1) {
  TSH_GUARD(nullptr, { return wrap(ref(x).transpose(dim0, dim1)); })
}

TSH_EXPORT tsh_tensor tsh_op_squeeze(tsh_tensor x, int64_t dim, int all) {
  TSH_GUARD(nullptr, { return wrap(all ? ref(x).squeeze() : ref(x).squeeze(dim)); })
}

TSH_EXPORT tsh_tensor tsh_op_unsqueeze(tsh_tensor x, int64_t dim) {
  TSH_GUARD(nullptr, { return wrap(ref(x).unsqueeze(dim)); })
}

TSH_EXPORT tsh_tensor tsh_op_flatten(tsh_tensor x, int64_t start, int64_t end) {
  TSH_GUARD(nullptr, { return wrap(ref(x).flatten(start, end)); })
}

TSH_EXPORT tsh_tensor tsh_op_contiguous(tsh_tensor x) { TSH_GUARD(nullptr, { return wrap(ref(x).contiguous()); }) }
TSH_EXPORT tsh_tensor tsh_op_clone(tsh_tensor x) { TSH_GUARD(nullptr, { return wrap(ref(x).clone()); }) }

TSH_EXPORT tsh_tensor tsh_op_narrow(tsh_tensor x, int64_t dim, int64_t start, int64_t length) {
  TSH_GUARD(nullptr, { return wrap(ref(x).narrow(dim, start, length)); })
}

TSH_EXPORT tsh_tensor tsh_op_slice(tsh_tensor x, int64_t dim, int64_t start, int64_t end, int64_t step) {
  TSH_GUARD(nullptr, { return wrap(ref(x).slice(dim, start, end, step)); })
}

TSH_EXPORT tsh_tensor tsh_op_select(tsh_tensor x, int64_t dim, int64_t index) {
  TSH_GUARD(nullptr, { return wrap(ref(x).select(dim, index)); })
}

TSH_EXPORT tsh_tensor tsh_op_index_select(tsh_tensor x, int64_t dim, tsh_tensor index) {
  TSH_GUARD(nullptr, { return wrap(ref(x).index_select(dim, ref(index))); })
}

TSH_EXPORT tsh_tensor tsh_op_gather(tsh_tensor x, int64_t dim, tsh_tensor index) {
  TSH_GUARD(nullptr, { return wrap(ref(x).gather(dim, ref(index))); })
}

TSH_EXPORT tsh_tensor tsh_op_masked_fill(tsh_tensor x, tsh_tensor mask, double value) {
  TSH_GUARD(nullptr, { return wrap(ref(x).masked_fill(ref(mask), value)); })
}

static std::vector<at::Tensor> collect(const tsh_tensor* handles, int count) {
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) list.push_back(ref(handles[i]));
  return list;
}

TSH_EXPORT tsh_tensor tsh_op_cat(const tsh_tensor* handles, int count, int64_t dim) {
  TSH_GUARD(nullptr, { return wrap(at::cat(collect(handles, count), dim)); })
}

TSH_EXPORT tsh_tensor tsh_op_stack(const tsh_tensor* handles, int count, int64_t dim) {
  TSH_GUARD(nullptr, { return wrap(at::stack(collect(handles, count), dim)); })
}

// Constant padding; `pads` lists (before, after) pairs starting from the LAST dim, as torch's F.pad.
TSH_EXPORT tsh_tensor tsh_op_pad(tsh_tensor x, const int64_t* pads, int n, double value) {
  TSH_GUARD(nullptr, { return wrap(at::constant_pad_nd(ref(x), dims(pads, n), value)); })
}

TSH_EXPORT tsh_tensor tsh_op_one_hot(tsh_tensor x, int64_t classes) {
  TSH_GUARD(nullptr, { return wrap(at::one_hot(ref(x), classes)); })
}

TSH_EXPORT int tsh_op_allclose(tsh_tensor a, tsh_tensor b, double rtol, double atol) {
  TSH_GUARD(-1, { return at::allclose(ref(a), ref(b), rtol, atol) ? 1 : 0; })
}
