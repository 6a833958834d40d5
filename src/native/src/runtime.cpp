// Errors, threads, seeds and devices.
#include "shim_common.h"

namespace tsh {
static thread_local std::string last_error;
std::atomic<int64_t> live_tensors{0};

void set_error(const std::string& message) {
  // libtorch messages can carry a trailing "Exception raised from ..." line; keep what a user needs.
  auto cut = message.find("\nException raised from");
  last_error = cut == std::string::npos ? message : message.substr(0, cut);
}
}  // namespace tsh

TSH_EXPORT const char* tsh_last_error(void) { return tsh::last_error.c_str(); }
TSH_EXPORT void tsh_clear_error(void) { tsh::last_error.clear(); }

TSH_EXPORT const char* tsh_runtime_version(void) {
  static const std::string version = std::to_string(TORCH_VERSION_MAJOR) + "." +
                                     std::to_string(TORCH_VERSION_MINOR) + "." +
                                     std::to_string(TORCH_VERSION_PATCH);
  return version.c_str();
}

TSH_EXPORT int tsh_runtime_set_num_threads(int n) {
  TSH_GUARD(0, {
    if (n < 1) throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(n));
    at::set_num_threads(n);
    return 1;
  })
}

TSH_EXPORT int tsh_runtime_get_num_threads(void) { TSH_GUARD(-1, { return at::get_num_threads(); }) }

TSH_EXPORT int tsh_runtime_manual_seed(uint64_t seed) {
  TSH_GUARD(0, {
    torch::manual_seed(seed);
    return 1;
  })
}

TSH_EXPORT int tsh_runtime_cuda_is_available(void) { TSH_GUARD(-1, { return torch::cuda::is_available() ? 1 : 0; }) }
TSH_EXPORT int tsh_runtime_cuda_device_count(void) { TSH_GUARD(-1, { return static_cast<int>(torch::cuda::device_count()); }) }

TSH_EXPORT int tsh_runtime_set_deterministic(int on) {
  TSH_GUARD(0, {
    at::globalContext().setDeterministicAlgorithms(on != 0, /*warn_only=*/false);
    at::globalContext().setBenchmarkCuDNN(on == 0);
    return 1;
  })
}

TSH_EXPORT int64_t tsh_runtime_live_tensors(void) { return tsh::live_tensors.load(); }
