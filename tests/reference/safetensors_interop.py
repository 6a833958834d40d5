"""Independent safetensors reader/writer (json + numpy) used to check the C# files interoperate.

Usage:
  python3 safetensors_interop.py check FILE     -> prints "name dtype shape sum" per tensor
  python3 safetensors_interop.py write FILE     -> writes a file with known tensors (float32 'a' 2x3 = arange, int64 'b' = [7, -3])
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32, "U8": np.uint8, "BOOL": np.bool_}


def check(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    for name in sorted(k for k in header if k != "__metadata__"):
        entry = header[name]
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[base + begin:base + end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        print(name, entry["dtype"], list(array.shape), float(array.astype(np.float64).sum()))
    print("metadata", json.dumps(header.get("__metadata__", {}), sort_keys=True))


def write(path):
    tensors = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.array([7, -3], dtype=np.int64)}
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        raw = array.tobytes()
        header[name] = {"dtype": {np.float32: "F32", np.int64: "I64"}[array.dtype.type], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


if __name__ == "__main__":
    {"check": check, "write": write}[sys.argv[1]](sys.argv[2])
