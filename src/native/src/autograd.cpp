// Autograd: gradients, graph control and the grad-mode switch (thread-local, as in PyTorch).
#include "shim_common.h"

using tsh::opt;
using tsh::ref;
using tsh::wrap;

TSH_EXPORT int tsh_autograd_backward(tsh_tensor x, tsh_tensor gradient, int retain_graph) {
  TSH_GUARD(0, {
    ref(x).backward(gradient == nullptr ? at::Tensor() : ref(gradient), retain_graph != 0);
    return 1;
  })
}

// Returns the accumulated gradient, or NULL with an empty error message when there is none yet.
TSH_EXPORT tsh_tensor tsh_autograd_grad(tsh_tensor x) {
  TSH_GUARD(nullptr, {
    const auto& g = ref(x).grad();
    if (!g.defined()) {
      tsh_clear_error();
      return nullptr;
    }
    return wrap(g);
  })
}

TSH_EXPORT int tsh_autograd_set_grad(tsh_tensor x, tsh_tensor gradient) {
  TSH_GUARD(0, {
    ref(x).mutable_grad() = gradient == nullptr ? at::Tensor() : ref(gradient);
    return 1;
  })
}

TSH_EXPORT int tsh_autograd_requires_grad(tsh_tensor x) { TSH_GUARD(-1, { return ref(x).requires_grad() ? 1 : 0; }) }

TSH_EXPORT int tsh_autograd_set_requires_grad(tsh_tensor x, int on) {
  TSH_GUARD(0, {
    ref(x).set_requires_grad(on != 0);
    return 1;
  })
}

TSH_EXPORT int tsh_autograd_is_leaf(tsh_tensor x) { TSH_GUARD(-1, { return ref(x).is_leaf() ? 1 : 0; }) }

TSH_EXPORT tsh_tensor tsh_autograd_detach(tsh_tensor x) { TSH_GUARD(nullptr, { return wrap(ref(x).detach()); }) }

// Replaces the storage of x with that of source, keeping x's identity (used to move parameters).
TSH_EXPORT int tsh_autograd_set_data(tsh_tensor x, tsh_tensor source) {
  TSH_GUARD(0, {
    ref(x).set_data(ref(source));
    return 1;
  })
}

// Sets the thread's grad mode and returns the previous one.
TSH_EXPORT int tsh_autograd_set_grad_enabled(int on) {
  TSH_GUARD(-1, {
    bool previous = at::GradMode::is_enabled();
    at::GradMode::set_enabled(on != 0);
    return previous ? 1 : 0;
  })
}

TSH_EXPORT int tsh_autograd_is_grad_enabled(void) { return at::GradMode::is_enabled() ? 1 : 0; }
