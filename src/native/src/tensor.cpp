// Tensor creation, metadata and transfer of data between managed arrays and tensors.
#include "shim_common.h"
#include <cstring>

using tsh::dims;
using tsh::ref;
using tsh::wrap;

static at::TensorOptions options(int dtype, int device_type, int device_index, int requires_grad) {
  return at::TensorOptions()
      .dtype(tsh::dtype_of(dtype))
      .device(tsh::device_of(device_type, device_index))
      .requires_grad(requires_grad != 0);
}

TSH_EXPORT void tsh_tensor_free(tsh_tensor h) {
  if (h == nullptr) return;
  delete static_cast<at::Tensor*>(h);
  tsh::live_tensors.fetch_sub(1, std::memory_order_relaxed);
}

// kind: 0 zeros, 1 ones, 2 empty, 3 rand (uniform [0,1)), 4 randn (standard normal)
TSH_EXPORT tsh_tensor tsh_tensor_new(int kind, const int64_t* shape, int ndim, int dtype, int device_type,
                                     int device_index, int requires_grad) {
  TSH_GUARD(nullptr, {
    auto o = options(dtype, device_type, device_index, requires_grad);
    auto s = dims(shape, ndim);
    switch (kind) {
      case 0: return wrap(torch::zeros(s, o));
      case 1: return wrap(torch::ones(s, o));
      case 2: return wrap(torch::empty(s, o));
      case 3: return wrap(torch::rand(s, o));
      case 4: return wrap(torch::randn(s, o));
      default: throw std::invalid_argument("unknown creation kind " + std::to_string(kind));
    }
  })
}

TSH_EXPORT tsh_tensor tsh_tensor_full(const int64_t* shape, int ndim, double value, int dtype, int device_type,
                                      int device_index, int requires_grad) {
  TSH_GUARD(nullptr, {
    return wrap(torch::full(dims(shape, ndim), value, options(dtype, device_type, device_index, requires_grad)));
  })
}

TSH_EXPORT tsh_tensor tsh_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, int dtype,
                                         int device_type, int device_index) {
  TSH_GUARD(nullptr, {
    return wrap(torch::randint(low, high, dims(shape, ndim), options(dtype, device_type, device_index, 0)));
  })
}

TSH_EXPORT tsh_tensor tsh_tensor_arange(double start, double end, double step, int dtype, int device_type,
                                        int device_index) {
  TSH_GUARD(nullptr, { return wrap(torch::arange(start, end, step, options(dtype, device_type, device_index, 0))); })
}

// Copies `bytes` bytes of host memory into a new CPU tensor of the given shape and dtype.
TSH_EXPORT tsh_tensor tsh_tensor_from_data(const void* data, int64_t bytes, const int64_t* shape, int ndim,
                                           int dtype) {
  TSH_GUARD(nullptr, {
    auto t = torch::empty(dims(shape, ndim), at::TensorOptions().dtype(tsh::dtype_of(dtype)));
    const int64_t expected = t.numel() * static_cast<int64_t>(t.element_size());
    if (bytes != expected)
      throw std::invalid_argument("data holds " + std::to_string(bytes) + " bytes but shape " +
                                  c10::str(t.sizes()) + " of " + std::string(c10::toString(t.scalar_type())) +
                                  " needs " + std::to_string(expected));
    if (bytes > 0) std::memcpy(t.data_ptr(), data, static_cast<size_t>(bytes));
    return wrap(t);
  })
}

// Copies the tensor's values (converted to a contiguous CPU tensor of the same dtype) to host memory.
TSH_EXPORT int tsh_tensor_copy_to(tsh_tensor h, void* destination, int64_t bytes) {
  TSH_GUARD(0, {
    auto t = ref(h).detach().to(at::kCPU).contiguous();
    const int64_t available = t.numel() * static_cast<int64_t>(t.element_size());
    if (bytes != available)
      throw std::invalid_argument("destination holds " + std::to_string(bytes) + " bytes but the tensor has " +
                                  std::to_string(available));
    if (bytes > 0) std::memcpy(destination, t.data_ptr(), static_cast<size_t>(bytes));
    return 1;
  })
}

TSH_EXPORT int tsh_tensor_ndim(tsh_tensor h) { TSH_GUARD(-1, { return static_cast<int>(ref(h).dim()); }) }

TSH_EXPORT int tsh_tensor_shape(tsh_tensor h, int64_t* out, int capacity) {
  TSH_GUARD(0, {
    auto sizes = ref(h).sizes();
    if (static_cast<int>(sizes.size()) > capacity) throw std::invalid_argument("shape buffer too small");
    for (size_t i = 0; i < sizes.size(); ++i) out[i] = sizes[i];
    return 1;
  })
}

TSH_EXPORT int tsh_tensor_dtype(tsh_tensor h) { TSH_GUARD(-1, { return static_cast<int>(ref(h).scalar_type()); }) }

TSH_EXPORT int tsh_tensor_device(tsh_tensor h, int* index) {
  TSH_GUARD(-1, {
    auto d = ref(h).device();
    *index = d.has_index() ? d.index() : 0;
    if (d.is_cpu()) return 0;
    if (d.is_cuda()) return 1;
    throw std::invalid_argument("tensor lives on an unsupported device " + d.str());
  })
}

TSH_EXPORT int64_t tsh_tensor_numel(tsh_tensor h) { TSH_GUARD(-1, { return ref(h).numel(); }) }

TSH_EXPORT int tsh_tensor_item(tsh_tensor h, double* value) {
  TSH_GUARD(0, {
    *value = ref(h).item<double>();
    return 1;
  })
}

TSH_EXPORT tsh_tensor tsh_tensor_to(tsh_tensor h, int dtype, int device_type, int device_index, int copy) {
  TSH_GUARD(nullptr, {
    auto& t = ref(h);
    auto target_dtype = dtype < 0 ? t.scalar_type() : tsh::dtype_of(dtype);
    auto target_device = device_type < 0 ? t.device() : tsh::device_of(device_type, device_index);
    return wrap(t.to(target_device, target_dtype, /*non_blocking=*/false, copy != 0));
  })
}

TSH_EXPORT tsh_tensor tsh_tensor_shallow_copy(tsh_tensor h) { TSH_GUARD(nullptr, { return wrap(ref(h)); }) }

// Printable summary (libtorch's own formatting), for ToString in .NET.
TSH_EXPORT int tsh_tensor_to_string(tsh_tensor h, char* buffer, int capacity) {
  TSH_GUARD(-1, {
    std::ostringstream s;
    s << ref(h);
    auto text = s.str();
    int n = static_cast<int>(std::min<size_t>(text.size(), static_cast<size_t>(capacity > 0 ? capacity - 1 : 0)));
    if (capacity > 0) {
      std::memcpy(buffer, text.data(), static_cast<size_t>(n));
      buffer[n] = 0;
    }
    return static_cast<int>(text.size());
  })
}
