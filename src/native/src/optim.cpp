// Optimiser updates fused per parameter, with PyTorch's exact update rules, so one native call
// does a parameter's whole step. State tensors are owned by the managed optimiser.
#include "shim_common.h"
#include <cmath>

using tsh::ref;

// torch.optim.SGD. momentum_buffer must be a tensor shaped like the parameter; `initialized`
// says whether it already holds a buffer (first step copies the gradient, as PyTorch does).
TSH_EXPORT int tsh_optim_sgd_step(tsh_tensor param, tsh_tensor momentum_buffer, int initialized, double lr,
                                  double momentum, double dampening, double weight_decay, int nesterov) {
  TSH_GUARD(0, {
    at::NoGradGuard no_grad;
    auto& p = ref(param);
    const auto& grad = p.grad();
    if (!grad.defined()) return 1;
    at::Tensor d_p = weight_decay != 0 ? grad.add(p, weight_decay) : grad;
    if (momentum != 0) {
      auto& buf = ref(momentum_buffer);
      if (!initialized) buf.copy_(d_p);
      else buf.mul_(momentum).add_(d_p, 1 - dampening);
      d_p = nesterov ? d_p.add(buf, momentum) : buf;
    }
    p.add_(d_p, -lr);
    return 1;
  })
}

// torch.optim.Adam (no amsgrad). `step` is the 1-based step count after this update.
TSH_EXPORT int tsh_optim_adam_step(tsh_tensor param, tsh_tensor exp_avg, tsh_tensor exp_avg_sq, int64_t step,
                                   double lr, double beta1, double beta2, double eps, double weight_decay) {
  TSH_GUARD(0, {
    at::NoGradGuard no_grad;
    auto& p = ref(param);
    const auto& grad_ref = p.grad();
    if (!grad_ref.defined()) return 1;
    at::Tensor grad = weight_decay != 0 ? grad_ref.add(p, weight_decay) : grad_ref;
    auto& m = ref(exp_avg);
    auto& v = ref(exp_avg_sq);
    m.lerp_(grad, 1 - beta1);
    v.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
    const double bias1 = 1 - std::pow(beta1, static_cast<double>(step));
    const double bias2 = 1 - std::pow(beta2, static_cast<double>(step));
    auto denom = (v.sqrt() / std::sqrt(bias2)).add_(eps);
    p.addcdiv_(m, denom, -lr / bias1);
    return 1;
  })
}

// Zeroes (or drops, when set_to_none) the gradients of `count` parameters.
TSH_EXPORT int tsh_optim_zero_grad(const tsh_tensor* params, int count, int set_to_none) {
  TSH_GUARD(0, {
    for (int i = 0; i < count; ++i) {
      auto& g = ref(params[i]).mutable_grad();
      if (!g.defined()) continue;
      if (set_to_none) g = at::Tensor();
      else {
        g.detach_();
        g.zero_();
      }
    }
    return 1;
  })
}
