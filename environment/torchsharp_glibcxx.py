#!/usr/bin/env python3
"""Lets TorchSharp's native wrapper load on a system whose libstdc++ predates GCC 13.

TorchSharp's libLibTorchSharp.so is linked against GCC 13's libstdc++ and so declares that it needs
the symbol version GLIBCXX_3.4.32. The only symbol it binds at that version is
_ZSt21ios_base_library_initv (GCC 13's iostream initialiser), which it references but never calls;
every other symbol needs GLIBCXX_3.4.22 or older, as libtorch's own libraries do. On a libstdc++
without GLIBCXX_3.4.32 (Debian 12 ships GCC 12's) the dynamic loader refuses the whole library.

This script marks that one version-needed entry (the Vernaux record of GLIBCXX_3.4.32 in
.gnu.version_r) as weak (VER_FLG_WEAK): the loader then accepts the library when the version is
absent. Nothing else in the file changes. It is idempotent and does nothing where the system
libstdc++ already provides the version.

    python3 torchsharp_glibcxx.py FILE [FILE ...]     patch where needed, report what was done
    python3 torchsharp_glibcxx.py --check FILE ...    exit 1 if a file would still need the patch
"""
import struct
import sys

VERSION = b"GLIBCXX_3.4.32"
SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def system_libstdcxx_has(version: bytes) -> bool:
    import ctypes.util
    import glob
    candidates = glob.glob("/usr/lib/x86_64-linux-gnu/libstdc++.so.6*") + glob.glob("/usr/lib64/libstdc++.so.6*")
    name = ctypes.util.find_library("stdc++")
    if name:
        candidates += glob.glob(f"/usr/lib*/{name}") + glob.glob(f"/lib*/{name}")
    for path in candidates:
        try:
            with open(path, "rb") as f:
                if version + b"\0" in f.read():
                    return True
        except OSError:
            pass
    return False


def find_entry(data: bytes, path: str):
    """Returns (offset of vna_flags, flags) of the GLIBCXX_3.4.32 requirement, or None when there is none."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{path}: not a 64-bit little-endian ELF file")
    e_shoff, = struct.unpack_from("<Q", data, 0x28)
    e_shentsize, e_shnum, _ = struct.unpack_from("<HHH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + i * e_shentsize) for i in range(e_shnum)]
    for (_, sh_type, _, _, sh_offset, _, sh_link, sh_info, _, _) in sections:
        if sh_type != SHT_GNU_VERNEED:
            continue
        strtab_offset = sections[sh_link][4]
        entry = sh_offset
        for _ in range(sh_info):
            _, vn_cnt, _, vn_aux, vn_next = struct.unpack_from("<HHIII", data, entry)
            aux = entry + vn_aux
            for _ in range(vn_cnt):
                _, vna_flags, _, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
                start = strtab_offset + vna_name
                name = data[start:data.index(b"\0", start)]
                if name == VERSION:
                    return aux + 4, vna_flags
                aux += vna_next
            entry += vn_next
    return None


def main(argv):
    check_only = "--check" in argv
    files = [a for a in argv if a != "--check"]
    if not files:
        print(__doc__.strip().splitlines()[-2].strip(), file=sys.stderr)
        return 2
    if system_libstdcxx_has(VERSION):
        print(f"system libstdc++ provides {VERSION.decode()}: no change needed")
        return 0
    still_needed = False
    for path in files:
        with open(path, "rb") as f:
            data = bytearray(f.read())
        found = find_entry(data, path)
        if found is None:
            print(f"{path}: needs no {VERSION.decode()}")
            continue
        offset, flags = found
        if flags & VER_FLG_WEAK:
            print(f"{path}: {VERSION.decode()} already weak")
            continue
        if check_only:
            print(f"{path}: still requires {VERSION.decode()}")
            still_needed = True
            continue
        struct.pack_into("<H", data, offset, flags | VER_FLG_WEAK)
        temporary = path + ".glibcxx-tmp"
        with open(temporary, "wb") as f:
            f.write(data)
        import os
        os.chmod(temporary, os.stat(path).st_mode)
        os.replace(temporary, path)
        print(f"{path}: marked {VERSION.decode()} weak")
    return 1 if still_needed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
