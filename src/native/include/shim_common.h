// Shared helpers of the shim's translation units: error capture and handle conversion.
#pragma once
#include <torch/torch.h>
#include <atomic>
#include <string>
#include "torch_shim.h"

namespace tsh {

void set_error(const std::string& message);
extern std::atomic<int64_t> live_tensors;

// Wraps a result tensor in a new handle owned by the caller.
inline tsh_tensor wrap(at::Tensor t) {
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return new at::Tensor(std::move(t));
}

inline at::Tensor& ref(tsh_tensor h) {
  if (h == nullptr) throw std::invalid_argument("null tensor handle");
  return *static_cast<at::Tensor*>(h);
}

// An optional tensor argument: NULL means "not given".
inline c10::optional<at::Tensor> opt(tsh_tensor h) {
  if (h == nullptr) return c10::nullopt;
  return *static_cast<at::Tensor*>(h);
}

inline at::IntArrayRef dims(const int64_t* values, int count) {
  return at::IntArrayRef(values, static_cast<size_t>(count));
}

inline at::Device device_of(int type, int index) {
  switch (type) {
    case 0: return at::Device(at::kCPU);
    case 1: return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
    default: throw std::invalid_argument("unknown device type code " + std::to_string(type));
  }
}

inline at::ScalarType dtype_of(int code) {
  switch (code) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 9: case 10: case 11: case 15:
      return static_cast<at::ScalarType>(code);
    default: throw std::invalid_argument("unsupported dtype code " + std::to_string(code));
  }
}

}  // namespace tsh

// Every exported function body runs inside GUARD(...): C++ exceptions become a stored message
// and the given failure value, so nothing unwinds into managed code.
#define TSH_GUARD(fail_value, body)                                        \
  try {                                                                     \
    body                                                                    \
  } catch (const c10::Error& e) {                                           \
    tsh::set_error(e.what_without_backtrace());                             \
  } catch (const std::exception& e) {                                       \
    tsh::set_error(e.what());                                               \
  } catch (...) {                                                           \
    tsh::set_error("unknown native error in libtorch");                     \
  }                                                                         \
  return fail_value;

#define TSH_EXPORT extern "C" TSH_API
