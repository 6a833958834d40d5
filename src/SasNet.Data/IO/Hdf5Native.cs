using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SasNet.Data.IO;

/// <summary>
/// P/Invoke surface of the HDF5 C library (1.10+: hid_t is 64-bit). Every call must happen under
/// <see cref="Sync"/>: Debian's serial build is not thread-safe. The library is located by a
/// <see cref="NativeLibrary.SetDllImportResolver"/> hook that tries the Debian serial sonames first.
/// </summary>
internal static unsafe partial class H5
{
    private const string Lib = "sasnet_hdf5";

    /// <summary>Guards every HDF5 call; the serial library keeps global state (error stack, caches).</summary>
    internal static readonly Lock Sync = new();

    internal const long Default = 0;           // H5P_DEFAULT, H5S_ALL, H5E_DEFAULT
    internal const uint AccReadOnly = 0;       // H5F_ACC_RDONLY
    internal const uint AccTruncate = 2;       // H5F_ACC_TRUNC
    internal const int ClassInteger = 0;       // H5T_INTEGER
    internal const int ClassFloat = 1;         // H5T_FLOAT
    internal const int SignNone = 0;           // H5T_SGN_NONE
    internal const int LayoutChunked = 2;      // H5D_CHUNKED
    internal const int FilterDeflate = 1;      // H5Z_FILTER_DEFLATE

    private static readonly object InitGate = new();
    private static nint Handle;
    private static Exception? LoadFailure;
    private static bool Initialised;

    // Type and class ids are global variables in the C library, valid only after H5open().
    internal static long NativeFloat, NativeDouble, NativeUInt8, NativeInt8, NativeUInt16, NativeInt16,
        NativeUInt32, NativeInt32, NativeUInt64, NativeInt64;
    internal static long FileFloat32, FileFloat64, FileUInt8, FileInt8, FileUInt16, FileInt16,
        FileUInt32, FileInt32, FileUInt64, FileInt64;
    internal static long DatasetCreateClass;

    /// <summary>
    /// File-access property list for every open and create: HDF5's own file locking off where the library can do that
    /// (1.10.7 and later), otherwise <see cref="Default"/>. HDF5 opens files without close-on-exec, so any child process
    /// started while a file is open inherits the descriptor, and with it the flock HDF5 took; the file then stays locked
    /// against .NET's own FileShare locks until the child exits. Without HDF5 locks an inherited descriptor is harmless.
    /// </summary>
    internal static long FileAccess = Default;

    /// <summary>Where the library was loaded from, or null before the first successful use.</summary>
    internal static string? LoadedFrom { get; private set; }

    /// <summary>Sonames and paths tried in order; SASNET_HDF5_LIBRARY overrides them all.</summary>
    internal static IReadOnlyList<string> Candidates()
    {
        var list = new List<string>();
        var overridePath = Environment.GetEnvironmentVariable("SASNET_HDF5_LIBRARY");
        if (!string.IsNullOrWhiteSpace(overridePath)) list.Add(overridePath);
        if (OperatingSystem.IsWindows()) list.AddRange(["hdf5.dll", "libhdf5.dll"]);
        else if (OperatingSystem.IsMacOS()) list.AddRange(["libhdf5.dylib", "/opt/homebrew/lib/libhdf5.dylib", "/usr/local/lib/libhdf5.dylib"]);
        else
        {
            list.AddRange([
                "libhdf5_serial.so.103",
                "/usr/lib/x86_64-linux-gnu/hdf5/serial/libhdf5.so",
                "/usr/lib/aarch64-linux-gnu/hdf5/serial/libhdf5.so",
                "libhdf5_serial.so",
                "libhdf5.so.310", "libhdf5.so.200", "libhdf5.so.103",
                "libhdf5.so",
            ]);
        }
        return list;
    }

    /// <summary>
    /// Loads the library, initialises it, reads the global type ids and switches off HDF5's own
    /// error printing. Idempotent; throws <see cref="NativeLibraryUnavailableException"/> when absent.
    /// </summary>
    internal static void EnsureInitialised()
    {
        if (Initialised) return;
        lock (InitGate)
        {
            if (Initialised) return;
            if (LoadFailure is not null) throw new NativeLibraryUnavailableException(LoadFailure.Message, LoadFailure);
            var tried = new List<string>();
            foreach (var candidate in Candidates())
            {
                if (NativeLibrary.TryLoad(candidate, out Handle)) { LoadedFrom = candidate; break; }
                tried.Add(candidate);
            }
            if (Handle == 0)
            {
                LoadFailure = new DllNotFoundException(
                    "The HDF5 C library was not found (tried " + string.Join(", ", tried) + "). " +
                    "Install it with 'sudo apt-get install libhdf5-dev' (Debian/Ubuntu) or run environment/setup.sh; " +
                    "or point SASNET_HDF5_LIBRARY at libhdf5.so.");
                throw new NativeLibraryUnavailableException(LoadFailure.Message, LoadFailure);
            }
            NativeLibrary.SetDllImportResolver(typeof(H5).Assembly, Resolve);
            lock (Sync)
            {
                if (H5open() < 0) throw new NativeLibraryUnavailableException($"H5open() failed in {LoadedFrom}");
                H5Eset_auto2(Default, null, null);
                NativeFloat = Global("H5T_NATIVE_FLOAT_g");
                NativeDouble = Global("H5T_NATIVE_DOUBLE_g");
                NativeUInt8 = Global("H5T_NATIVE_UCHAR_g");
                NativeInt8 = Global("H5T_NATIVE_SCHAR_g");
                NativeUInt16 = Global("H5T_NATIVE_USHORT_g");
                NativeInt16 = Global("H5T_NATIVE_SHORT_g");
                NativeUInt32 = Global("H5T_NATIVE_UINT_g");
                NativeInt32 = Global("H5T_NATIVE_INT_g");
                NativeUInt64 = Global("H5T_NATIVE_ULLONG_g");
                NativeInt64 = Global("H5T_NATIVE_LLONG_g");
                FileFloat32 = Global("H5T_IEEE_F32LE_g");
                FileFloat64 = Global("H5T_IEEE_F64LE_g");
                FileUInt8 = Global("H5T_STD_U8LE_g");
                FileInt8 = Global("H5T_STD_I8LE_g");
                FileUInt16 = Global("H5T_STD_U16LE_g");
                FileInt16 = Global("H5T_STD_I16LE_g");
                FileUInt32 = Global("H5T_STD_U32LE_g");
                FileInt32 = Global("H5T_STD_I32LE_g");
                FileUInt64 = Global("H5T_STD_U64LE_g");
                FileInt64 = Global("H5T_STD_I64LE_g");
                DatasetCreateClass = Global("H5P_CLS_DATASET_CREATE_ID_g");
                FileAccess = CreateUnlockedFileAccess();
            }
            Initialised = true;
        }
    }

    private static long Global(string symbol) => Marshal.ReadInt64(NativeLibrary.GetExport(Handle, symbol));

    // H5Pset_file_locking is looked up by name because older HDF5 releases lack it; they keep the default list.
    private static long CreateUnlockedFileAccess()
    {
        if (!NativeLibrary.TryGetExport(Handle, "H5Pset_file_locking", out var setFileLocking)) return Default;
        long list = H5Pcreate(Global("H5P_CLS_FILE_ACCESS_ID_g"));
        if (list < 0) { H5Eclear2(Default); return Default; }
        var set = (delegate* unmanaged[Cdecl]<long, byte, byte, int>)setFileLocking;
        // use_file_locking = false; ignore_when_disabled = true (only meaningful while locking is on).
        if (set(list, 0, 1) < 0) { H5Eclear2(Default); H5Pclose(list); return Default; }
        return list;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == Lib ? Handle : 0;

    /// <summary>
    /// Collects the current HDF5 error stack as one line ("H5Dopen2: not found; ..."), then clears it,
    /// so failures surface as exceptions with the library's own reason.
    /// </summary>
    internal static string TakeErrorStack()
    {
        var lines = new List<string>();
        var gc = GCHandle.Alloc(lines);
        try
        {
            H5Ewalk2(Default, 0, &WalkError, (void*)GCHandle.ToIntPtr(gc));
        }
        finally
        {
            gc.Free();
        }
        H5Eclear2(Default);
        return lines.Count == 0 ? "no detail from HDF5" : string.Join("; ", lines.Distinct());
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int WalkError(uint n, ErrorRecord* record, void* clientData)
    {
        var lines = (List<string>)GCHandle.FromIntPtr((nint)clientData).Target!;
        var func = Marshal.PtrToStringUTF8((nint)record->FuncName) ?? "?";
        var desc = Marshal.PtrToStringUTF8((nint)record->Description) ?? "";
        byte* minor = stackalloc byte[160];
        int type;
        string minorText = H5Eget_msg(record->MinorId, &type, minor, 160) > 0 ? Marshal.PtrToStringUTF8((nint)minor) ?? "" : "";
        lines.Add(minorText.Length > 0 ? $"{func}: {desc} ({minorText})" : $"{func}: {desc}");
        return 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct ErrorRecord
    {
        public long ClassId;
        public long MajorId;
        public long MinorId;
        public uint Line;
        public byte* FuncName;
        public byte* FileName;
        public byte* Description;
    }

    [LibraryImport(Lib)] internal static partial int H5open();
    [LibraryImport(Lib)] internal static partial int H5Eset_auto2(long stack, void* func, void* clientData);
    [LibraryImport(Lib)] internal static partial int H5Ewalk2(long stack, int direction, delegate* unmanaged[Cdecl]<uint, ErrorRecord*, void*, int> func, void* clientData);
    [LibraryImport(Lib)] internal static partial int H5Eclear2(long stack);
    [LibraryImport(Lib)] internal static partial nint H5Eget_msg(long messageId, int* type, byte* message, nuint size);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial long H5Fopen(string name, uint flags, long accessPlist);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial long H5Fcreate(string name, uint flags, long createPlist, long accessPlist);
    [LibraryImport(Lib)] internal static partial int H5Fclose(long file);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int H5Fis_hdf5(string name);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int H5Lexists(long location, string name, long linkAccessPlist);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial nint H5Lget_name_by_idx(long location, string groupName, int indexType, int order, ulong n, byte* name, nuint size, long linkAccessPlist);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial long H5Dopen2(long location, string name, long accessPlist);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial long H5Dcreate2(long location, string name, long type, long space, long linkCreatePlist, long createPlist, long accessPlist);
    [LibraryImport(Lib)] internal static partial int H5Dread(long dataset, long memoryType, long memorySpace, long fileSpace, long transferPlist, void* buffer);
    [LibraryImport(Lib)] internal static partial int H5Dwrite(long dataset, long memoryType, long memorySpace, long fileSpace, long transferPlist, void* buffer);
    [LibraryImport(Lib)] internal static partial long H5Dget_space(long dataset);
    [LibraryImport(Lib)] internal static partial long H5Dget_type(long dataset);
    [LibraryImport(Lib)] internal static partial long H5Dget_create_plist(long dataset);
    [LibraryImport(Lib)] internal static partial int H5Dclose(long dataset);

    [LibraryImport(Lib)] internal static partial long H5Screate_simple(int rank, ulong* dims, ulong* maxDims);
    [LibraryImport(Lib)] internal static partial int H5Sget_simple_extent_ndims(long space);
    [LibraryImport(Lib)] internal static partial int H5Sget_simple_extent_dims(long space, ulong* dims, ulong* maxDims);
    [LibraryImport(Lib)] internal static partial int H5Sclose(long space);

    [LibraryImport(Lib)] internal static partial int H5Tget_class(long type);
    [LibraryImport(Lib)] internal static partial nuint H5Tget_size(long type);
    [LibraryImport(Lib)] internal static partial int H5Tget_sign(long type);
    [LibraryImport(Lib)] internal static partial int H5Tclose(long type);

    [LibraryImport(Lib)] internal static partial long H5Pcreate(long propertyClass);
    [LibraryImport(Lib)] internal static partial int H5Pset_chunk(long plist, int rank, ulong* dims);
    [LibraryImport(Lib)] internal static partial int H5Pset_deflate(long plist, uint level);
    [LibraryImport(Lib)] internal static partial int H5Pset_obj_track_times(long plist, byte track);
    [LibraryImport(Lib)] internal static partial int H5Pget_layout(long plist);
    [LibraryImport(Lib)] internal static partial int H5Pget_nfilters(long plist);
    [LibraryImport(Lib)] internal static partial int H5Pclose(long plist);
    [LibraryImport(Lib)] internal static partial int H5Zfilter_avail(int filter);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial long H5Acreate2(long location, string name, long type, long space, long createPlist, long accessPlist);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial long H5Aopen(long location, string name, long accessPlist);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int H5Aexists(long location, string name);
    [LibraryImport(Lib)] internal static partial int H5Aread(long attribute, long memoryType, void* buffer);
    [LibraryImport(Lib)] internal static partial int H5Awrite(long attribute, long memoryType, void* buffer);
    [LibraryImport(Lib)] internal static partial long H5Aget_space(long attribute);
    [LibraryImport(Lib)] internal static partial long H5Aget_type(long attribute);
    [LibraryImport(Lib)] internal static partial int H5Aclose(long attribute);
}
