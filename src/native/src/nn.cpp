// Neural-network building blocks: convolutions, normalisation, dropout, activations with
// parameters, losses, pooling, interpolation, and the FFT.
#include "shim_common.h"

using tsh::dims;
using tsh::opt;
using tsh::ref;
using tsh::wrap;

TSH_EXPORT tsh_tensor tsh_nn_conv3d(tsh_tensor x, tsh_tensor weight, tsh_tensor bias, const int64_t* stride,
                                    const int64_t* padding, const int64_t* dilation, int64_t groups) {
  TSH_GUARD(nullptr, {
    return wrap(at::conv3d(ref(x), ref(weight), opt(bias), dims(stride, 3), dims(padding, 3), dims(dilation, 3),
                           groups));
  })
}

TSH_EXPORT tsh_tensor tsh_nn_conv2d(tsh_tensor x, tsh_tensor weight, tsh_tensor bias, const int64_t* stride,
                                    const int64_t* padding, const int64_t* dilation, int64_t groups) {
  TSH_GUARD(nullptr, {
    return wrap(at::conv2d(ref(x), ref(weight), opt(bias), dims(stride, 2), dims(padding, 2), dims(dilation, 2),
                           groups));
  })
}

TSH_EXPORT tsh_tensor tsh_nn_conv_transpose3d(tsh_tensor x, tsh_tensor weight, tsh_tensor bias,
                                              const int64_t* stride, const int64_t* padding,
                                              const int64_t* output_padding, int64_t groups,
                                              const int64_t* dilation) {
  TSH_GUARD(nullptr, {
    return wrap(at::conv_transpose3d(ref(x), ref(weight), opt(bias), dims(stride, 3), dims(padding, 3),
                                     dims(output_padding, 3), groups, dims(dilation, 3)));
  })
}

// Batch normalisation; in training mode the running statistics (if given) are updated in place.
TSH_EXPORT tsh_tensor tsh_nn_batch_norm(tsh_tensor x, tsh_tensor weight, tsh_tensor bias, tsh_tensor running_mean,
                                        tsh_tensor running_var, int training, double momentum, double eps) {
  TSH_GUARD(nullptr, {
    return wrap(at::batch_norm(ref(x), opt(weight), opt(bias), opt(running_mean), opt(running_var), training != 0,
                               momentum, eps, /*cudnn_enabled=*/true));
  })
}

TSH_EXPORT tsh_tensor tsh_nn_group_norm(tsh_tensor x, int64_t groups, tsh_tensor weight, tsh_tensor bias,
                                        double eps) {
  TSH_GUARD(nullptr, { return wrap(at::group_norm(ref(x), groups, opt(weight), opt(bias), eps)); })
}

TSH_EXPORT tsh_tensor tsh_nn_instance_norm(tsh_tensor x, tsh_tensor weight, tsh_tensor bias, double eps) {
  TSH_GUARD(nullptr, {
    return wrap(at::instance_norm(ref(x), opt(weight), opt(bias), {}, {}, /*use_input_stats=*/true, 0.1, eps,
                                  /*cudnn_enabled=*/true));
  })
}

// Element dropout (feature == 0) or whole-channel dropout as Dropout3d (feature == 1).
TSH_EXPORT tsh_tensor tsh_nn_dropout(tsh_tensor x, double p, int training, int feature) {
  TSH_GUARD(nullptr, {
    auto& t = ref(x);
    return wrap(feature ? at::feature_dropout(t, p, training != 0) : at::dropout(t, p, training != 0));
  })
}

TSH_EXPORT tsh_tensor tsh_nn_softmax(tsh_tensor x, int64_t dim, int log) {
  TSH_GUARD(nullptr, { return wrap(log ? at::log_softmax(ref(x), dim) : at::softmax(ref(x), dim)); })
}

TSH_EXPORT tsh_tensor tsh_nn_leaky_relu(tsh_tensor x, double slope) {
  TSH_GUARD(nullptr, { return wrap(at::leaky_relu(ref(x), slope)); })
}

TSH_EXPORT tsh_tensor tsh_nn_linear(tsh_tensor x, tsh_tensor weight, tsh_tensor bias) {
  TSH_GUARD(nullptr, { return wrap(at::linear(ref(x), ref(weight), opt(bias))); })
}

// reduction: 0 none, 1 mean, 2 sum (as at::Reduction)
TSH_EXPORT tsh_tensor tsh_nn_cross_entropy(tsh_tensor logits, tsh_tensor target, tsh_tensor weight, int reduction,
                                           int64_t ignore_index, double label_smoothing) {
  TSH_GUARD(nullptr, {
    return wrap(at::cross_entropy_loss(ref(logits), ref(target), opt(weight), reduction, ignore_index,
                                       label_smoothing));
  })
}

TSH_EXPORT tsh_tensor tsh_nn_mse_loss(tsh_tensor input, tsh_tensor target, int reduction) {
  TSH_GUARD(nullptr, { return wrap(at::mse_loss(ref(input), ref(target), reduction)); })
}

TSH_EXPORT tsh_tensor tsh_nn_bce_with_logits(tsh_tensor logits, tsh_tensor target, int reduction) {
  TSH_GUARD(nullptr, {
    return wrap(at::binary_cross_entropy_with_logits(ref(logits), ref(target), {}, {}, reduction));
  })
}

TSH_EXPORT tsh_tensor tsh_nn_bce(tsh_tensor probabilities, tsh_tensor target, int reduction) {
  TSH_GUARD(nullptr, { return wrap(at::binary_cross_entropy(ref(probabilities), ref(target), {}, reduction)); })
}

TSH_EXPORT tsh_tensor tsh_nn_avg_pool3d(tsh_tensor x, const int64_t* kernel, const int64_t* stride,
                                        const int64_t* padding) {
  TSH_GUARD(nullptr, { return wrap(at::avg_pool3d(ref(x), dims(kernel, 3), dims(stride, 3), dims(padding, 3))); })
}

TSH_EXPORT tsh_tensor tsh_nn_max_pool3d(tsh_tensor x, const int64_t* kernel, const int64_t* stride,
                                        const int64_t* padding) {
  TSH_GUARD(nullptr, { return wrap(at::max_pool3d(ref(x), dims(kernel, 3), dims(stride, 3), dims(padding, 3))); })
}

TSH_EXPORT tsh_tensor tsh_nn_adaptive_avg_pool3d(tsh_tensor x, const int64_t* output_size) {
  TSH_GUARD(nullptr, { return wrap(at::adaptive_avg_pool3d(ref(x), dims(output_size, 3))); })
}

// Resizes (B, C, X, Y, Z) to the given spatial size. mode: 0 nearest, 1 trilinear.
TSH_EXPORT tsh_tensor tsh_nn_interpolate3d(tsh_tensor x, const int64_t* size, int mode, int align_corners) {
  TSH_GUARD(nullptr, {
    if (mode == 0) return wrap(at::upsample_nearest3d(ref(x), dims(size, 3)));
    if (mode == 1) return wrap(at::upsample_trilinear3d(ref(x), dims(size, 3), align_corners != 0));
    throw std::invalid_argument("unknown interpolation mode " + std::to_string(mode));
  })
}

// ---- FFT. norm: 0 "backward" (default), 1 "forward", 2 "ortho".
static c10::optional<c10::string_view> fft_norm(int code) {
  switch (code) {
    case 0: return c10::string_view("backward");
    case 1: return c10::string_view("forward");
    case 2: return c10::string_view("ortho");
    default: throw std::invalid_argument("unknown FFT normalisation code " + std::to_string(code));
  }
}

TSH_EXPORT tsh_tensor tsh_fft_fftn(tsh_tensor x, const int64_t* dim, int ndim, int inverse, int norm) {
  TSH_GUARD(nullptr, {
    at::OptionalIntArrayRef d = ndim > 0 ? at::OptionalIntArrayRef(dims(dim, ndim)) : c10::nullopt;
    return wrap(inverse ? at::fft_ifftn(ref(x), c10::nullopt, d, fft_norm(norm))
                        : at::fft_fftn(ref(x), c10::nullopt, d, fft_norm(norm)));
  })
}

// part: 0 real, 1 imaginary
TSH_EXPORT tsh_tensor tsh_fft_part(tsh_tensor x, int part) {
  TSH_GUARD(nullptr, { return wrap(part == 0 ? at::real(ref(x)) : at::imag(ref(x))); })
}

TSH_EXPORT tsh_tensor tsh_fft_complex(tsh_tensor real, tsh_tensor imag) {
  TSH_GUARD(nullptr, { return wrap(at::complex(ref(real), ref(imag))); })
}
