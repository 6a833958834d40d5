// Flat C ABI of the torch shim. Conventions, true of every function:
//  * Tensors cross the boundary as opaque `tsh_tensor` handles (heap-allocated at::Tensor);
//    every handle returned must be released once with tsh_tensor_free.
//  * No C++ exception escapes. On failure a function returns NULL (handles), -1 (integers),
//    or 0 (status, where 1 means success), and tsh_last_error() holds the message for this thread.
//  * Prefixes name the area: tsh_runtime_ (threads, seeds, devices), tsh_tensor_ (creation,
//    metadata, data transfer), tsh_op_ (element-wise, reductions, shapes), tsh_nn_ (layers,
//    losses, pooling, interpolation), tsh_fft_, tsh_autograd_, tsh_optim_.
#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void* tsh_tensor;
#define TSH_API __attribute__((visibility("default")))

// ---- errors / runtime
TSH_API const char* tsh_last_error(void);
TSH_API void tsh_clear_error(void);
TSH_API const char* tsh_runtime_version(void);
TSH_API int tsh_runtime_set_num_threads(int n);
TSH_API int tsh_runtime_get_num_threads(void);
TSH_API int tsh_runtime_manual_seed(uint64_t seed);
TSH_API int tsh_runtime_cuda_is_available(void);
TSH_API int tsh_runtime_cuda_device_count(void);
TSH_API int tsh_runtime_set_deterministic(int on);
TSH_API int64_t tsh_runtime_live_tensors(void);

#ifdef __cplusplus
}
#endif
