using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using SasNet.Geometry;

namespace SasNet.Data.IO;

/// <summary>Element types this kit reads from and writes to HDF5 datasets (little-endian on disk).</summary>
public enum Hdf5ElementType
{
    /// <summary>IEEE 32-bit float.</summary>
    Float32,
    /// <summary>IEEE 64-bit float.</summary>
    Float64,
    /// <summary>Unsigned 8-bit integer.</summary>
    UInt8,
    /// <summary>Signed 8-bit integer.</summary>
    Int8,
    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16,
    /// <summary>Signed 16-bit integer.</summary>
    Int16,
    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32,
    /// <summary>Signed 32-bit integer.</summary>
    Int32,
    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64,
    /// <summary>Signed 64-bit integer.</summary>
    Int64,
}

/// <summary>What a dataset holds: its dimensions (as stored, C order), element type and storage layout.</summary>
/// <param name="Name">Dataset path inside the file.</param>
/// <param name="Dimensions">Sizes in stored order; for our volumes (X, Y, Z).</param>
/// <param name="ElementType">Stored element type.</param>
/// <param name="IsChunked">Whether the layout is chunked (required for compression).</param>
/// <param name="FilterCount">Number of filters in the pipeline (gzip counts as one).</param>
public sealed record Hdf5DatasetInfo(string Name, IReadOnlyList<long> Dimensions, Hdf5ElementType ElementType, bool IsChunked, int FilterCount);

/// <summary>
/// How a dataset is stored. <see cref="Gzip"/> (level 4, chunked) matches the UA-MT/LA files written by
/// h5py with <c>compression="gzip"</c>; <see cref="Plain"/> is contiguous and uncompressed.
/// </summary>
/// <param name="GzipLevel">Deflate level 1..9, or 0 for no compression.</param>
/// <param name="ChunkShape">Chunk size; null picks one near 64×64×32 clipped to the volume (only used when chunked).</param>
/// <param name="Chunked">Whether to chunk; forced on when <paramref name="GzipLevel"/> &gt; 0.</param>
public sealed record Hdf5StorageOptions(int GzipLevel = 4, Shape3? ChunkShape = null, bool Chunked = true)
{
    /// <summary>Chunked, gzip level 4 (the LA layout).</summary>
    public static Hdf5StorageOptions Gzip { get; } = new(4);

    /// <summary>Contiguous, uncompressed.</summary>
    public static Hdf5StorageOptions Plain { get; } = new(0, null, false);
}

/// <summary>
/// An open HDF5 file, read-only or newly created, through the HDF5 C library (the kit's replacement for h5py).
/// Volumes are 3D datasets in C order over (X, Y, Z) exactly as h5py/numpy store them; no axis is
/// reordered. Failures of the library become <see cref="VolumeFormatException"/>s naming the file and
/// dataset; the native handle is released on <see cref="Dispose"/> (or by its SafeHandle finaliser).
/// Calls are serialised process-wide because the serial HDF5 build is not thread-safe.
/// </summary>
public sealed class Hdf5File : IDisposable
{
    private readonly FileHandle file;

    private Hdf5File(string path, FileHandle file)
    {
        Path = path;
        this.file = file;
    }

    /// <summary>The file's path as given.</summary>
    public string Path { get; }

    /// <summary>Whether the HDF5 C library can be loaded on this machine.</summary>
    public static bool IsAvailable
    {
        get
        {
            try { H5.EnsureInitialised(); return true; }
            catch (NativeLibraryUnavailableException) { return false; }
        }
    }

    /// <summary>The soname or path the HDF5 library was loaded from (loads it if needed).</summary>
    public static string LibraryLocation
    {
        get { H5.EnsureInitialised(); return H5.LoadedFrom!; }
    }

    /// <summary>Opens an existing file read-only.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="VolumeFormatException">The file is not valid HDF5 (corrupt or truncated).</exception>
    public static Hdf5File OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"HDF5 file not found: {path}", path);
        H5.EnsureInitialised();
        lock (H5.Sync)
        {
            long id = H5.H5Fopen(path, H5.AccReadOnly, H5.FileAccess);
            if (id < 0) throw new VolumeFormatException(path, $"not a readable HDF5 file (corrupt or truncated?): {H5.TakeErrorStack()}");
            return new Hdf5File(path, new FileHandle(id));
        }
    }

    /// <summary>Creates (or truncates) a file for writing.</summary>
    public static Hdf5File Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        H5.EnsureInitialised();
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        lock (H5.Sync)
        {
            long id = H5.H5Fcreate(path, H5.AccTruncate, H5.Default, H5.FileAccess);
            if (id < 0) throw new VolumeFormatException(path, $"cannot create HDF5 file: {H5.TakeErrorStack()}");
            return new Hdf5File(path, new FileHandle(id));
        }
    }

    /// <summary>Names of the links at the root group, in name order.</summary>
    public IReadOnlyList<string> RootNames()
    {
        var names = new List<string>();
        lock (H5.Sync)
        {
            long file = FileId;
            unsafe
            {
                byte* buffer = stackalloc byte[512];
                for (ulong i = 0; ; i++)
                {
                    nint length = H5.H5Lget_name_by_idx(file, ".", 0, 0, i, buffer, 512, H5.Default);
                    if (length < 0) { H5.H5Eclear2(H5.Default); break; }
                    names.Add(Marshal.PtrToStringUTF8((nint)buffer) ?? "");
                }
            }
        }
        return names;
    }

    /// <summary>Whether a dataset (or any object) exists at <paramref name="name"/>; nested paths are checked level by level.</summary>
    public bool Contains(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (H5.Sync)
        {
            var parts = name.Trim('/').Split('/');
            string prefix = "";
            foreach (var part in parts)
            {
                prefix = prefix.Length == 0 ? part : prefix + "/" + part;
                int exists = H5.H5Lexists(FileId, prefix, H5.Default);
                if (exists <= 0) { H5.H5Eclear2(H5.Default); return false; }
            }
            return true;
        }
    }

    /// <summary>Dimensions, element type and layout of a dataset.</summary>
    public Hdf5DatasetInfo Describe(string name)
    {
        lock (H5.Sync)
        {
            long dataset = OpenDataset(name);
            try { return DescribeOpen(name, dataset); }
            finally { H5.H5Dclose(dataset); }
        }
    }

    /// <summary>
    /// Reads a 3D dataset of any supported numeric type as float (integers converted exactly where
    /// representable). Layout: C order over the stored (X, Y, Z). Spacing comes from a "spacing"
    /// attribute when present (written by <see cref="Write{T}"/>), else unit.
    /// </summary>
    /// <param name="name">Dataset name, e.g. "image".</param>
    /// <param name="requireFinite">When true, NaN/Inf voxels raise <see cref="NonFiniteValueException"/>.</param>
    public Volume<float> ReadFloat(string name, bool requireFinite = false)
    {
        var (shape, spacing, values) = ReadAny(name, FloatConverter.Instance);
        var volume = new Volume<float>(shape, values, spacing);
        if (requireFinite) VolumeChecks.RequireFinite(volume, Path, name);
        return volume;
    }

    /// <summary>
    /// Reads a 3D dataset as a byte label map. Float storage (e.g. Pancreas labels as float 0/1) is
    /// accepted when every value is a whole number in 0..255; anything else raises
    /// <see cref="VolumeFormatException"/> instead of silently truncating.
    /// </summary>
    public Volume<byte> ReadLabel(string name)
    {
        var (shape, spacing, values) = ReadAny(name, new ByteConverter(Path, name));
        return new Volume<byte>(shape, values, spacing);
    }

    /// <summary>
    /// Writes <paramref name="volume"/> as a 3D dataset of shape (X, Y, Z) with the element type of
    /// <typeparamref name="T"/> (float, double, byte, sbyte, short, ushort, int, uint, long, ulong).
    /// Modification times are not recorded, so identical input gives byte-identical files. A non-unit
    /// spacing is stored as a float64[3] attribute "spacing" on the dataset.
    /// </summary>
    public void Write<T>(string name, Volume<T> volume, Hdf5StorageOptions? storage = null) where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(volume);
        storage ??= Hdf5StorageOptions.Gzip;
        if (storage.GzipLevel is < 0 or > 9) throw new ArgumentOutOfRangeException(nameof(storage), "gzip level must be 0..9");
        var (memoryType, fileType) = TypesFor<T>();
        var shape = volume.Shape;
        lock (H5.Sync)
        {
            long space = -1, plist = -1, dataset = -1;
            try
            {
                unsafe
                {
                    ulong* dims = stackalloc ulong[3] { (ulong)shape.X, (ulong)shape.Y, (ulong)shape.Z };
                    space = Check(H5.H5Screate_simple(3, dims, null), name, "create dataspace");
                    plist = Check(H5.H5Pcreate(H5.DatasetCreateClass), name, "create property list");
                    Check(H5.H5Pset_obj_track_times(plist, 0), name, "disable time tracking");
                    if (storage.Chunked || storage.GzipLevel > 0)
                    {
                        var chunk = storage.ChunkShape ?? new Shape3(Math.Min(shape.X, 64), Math.Min(shape.Y, 64), Math.Min(shape.Z, 32));
                        ulong* chunkDims = stackalloc ulong[3]
                        {
                            (ulong)Math.Min(chunk.X, shape.X), (ulong)Math.Min(chunk.Y, shape.Y), (ulong)Math.Min(chunk.Z, shape.Z),
                        };
                        Check(H5.H5Pset_chunk(plist, 3, chunkDims), name, "set chunking");
                        if (storage.GzipLevel > 0)
                        {
                            if (H5.H5Zfilter_avail(H5.FilterDeflate) <= 0)
                                throw new VolumeFormatException(Path, "this HDF5 library was built without gzip (deflate) support");
                            Check(H5.H5Pset_deflate(plist, (uint)storage.GzipLevel), name, "set gzip");
                        }
                    }
                    dataset = Check(H5.H5Dcreate2(FileId, name, fileType, space, H5.Default, plist, H5.Default), name, "create dataset");
                    fixed (T* data = volume.Data)
                        Check(H5.H5Dwrite(dataset, memoryType, H5.Default, H5.Default, H5.Default, data), name, "write data");
                    if (volume.Spacing != Spacing3.Unit) WriteSpacing(dataset, name, volume.Spacing);
                }
            }
            finally
            {
                if (dataset >= 0) H5.H5Dclose(dataset);
                if (plist >= 0) H5.H5Pclose(plist);
                if (space >= 0) H5.H5Sclose(space);
            }
        }
    }

    /// <summary>Closes the file (flushing written data).</summary>
    public void Dispose() => file.Dispose();

    private long FileId
    {
        get
        {
            ObjectDisposedException.ThrowIf(file.IsClosed, this);
            return file.DangerousGetHandle();
        }
    }

    private long OpenDataset(string name)
    {
        if (!Contains(name)) throw new DatasetNotFoundException(Path, name, RootNames());
        long dataset = H5.H5Dopen2(FileId, name, H5.Default);
        if (dataset < 0) throw new VolumeFormatException(Path, $"cannot open dataset '{name}': {H5.TakeErrorStack()}");
        return dataset;
    }

    private Hdf5DatasetInfo DescribeOpen(string name, long dataset)
    {
        long space = -1, type = -1, plist = -1;
        try
        {
            space = Check(H5.H5Dget_space(dataset), name, "get dataspace");
            int rank = H5.H5Sget_simple_extent_ndims(space);
            if (rank < 0) throw new VolumeFormatException(Path, $"dataset '{name}' has an unreadable dataspace: {H5.TakeErrorStack()}");
            var dims = new ulong[Math.Max(rank, 1)];
            unsafe
            {
                fixed (ulong* d = dims) Check(H5.H5Sget_simple_extent_dims(space, d, null), name, "get dimensions");
            }
            type = Check(H5.H5Dget_type(dataset), name, "get type");
            var element = ElementTypeOf(type, name);
            plist = Check(H5.H5Dget_create_plist(dataset), name, "get creation properties");
            bool chunked = H5.H5Pget_layout(plist) == H5.LayoutChunked;
            int filters = Math.Max(0, H5.H5Pget_nfilters(plist));
            return new Hdf5DatasetInfo(name, dims.Take(rank).Select(d => (long)d).ToArray(), element, chunked, filters);
        }
        finally
        {
            if (plist >= 0) H5.H5Pclose(plist);
            if (type >= 0) H5.H5Tclose(type);
            if (space >= 0) H5.H5Sclose(space);
        }
    }

    private Hdf5ElementType ElementTypeOf(long type, string name)
    {
        int typeClass = H5.H5Tget_class(type);
        int size = (int)H5.H5Tget_size(type);
        if (typeClass == H5.ClassFloat)
        {
            return size switch
            {
                4 => Hdf5ElementType.Float32,
                8 => Hdf5ElementType.Float64,
                _ => throw new UnsupportedElementTypeException(Path, $"dataset '{name}'", $"float of {size} bytes"),
            };
        }
        if (typeClass == H5.ClassInteger)
        {
            bool unsigned = H5.H5Tget_sign(type) == H5.SignNone;
            return (size, unsigned) switch
            {
                (1, true) => Hdf5ElementType.UInt8,
                (1, false) => Hdf5ElementType.Int8,
                (2, true) => Hdf5ElementType.UInt16,
                (2, false) => Hdf5ElementType.Int16,
                (4, true) => Hdf5ElementType.UInt32,
                (4, false) => Hdf5ElementType.Int32,
                (8, true) => Hdf5ElementType.UInt64,
                (8, false) => Hdf5ElementType.Int64,
                _ => throw new UnsupportedElementTypeException(Path, $"dataset '{name}'", $"integer of {size} bytes"),
            };
        }
        string className = typeClass switch
        {
            2 => "time",
            3 => "string",
            4 => "bitfield",
            5 => "opaque",
            6 => "compound",
            7 => "reference",
            8 => "enum",
            9 => "variable-length",
            10 => "array",
            _ => $"class {typeClass}",
        };
        throw new UnsupportedElementTypeException(Path, $"dataset '{name}'", className);
    }

    private (Shape3 Shape, Spacing3 Spacing, TOut[] Values) ReadAny<TOut>(string name, IConverter<TOut> converter)
    {
        lock (H5.Sync)
        {
            long dataset = OpenDataset(name);
            try
            {
                var info = DescribeOpen(name, dataset);
                if (info.Dimensions.Count != 3)
                    throw new VolumeFormatException(Path, $"dataset '{name}' has rank {info.Dimensions.Count} (shape [{string.Join(", ", info.Dimensions)}]); a volume needs rank 3 (X, Y, Z)");
                if (info.Dimensions.Any(d => d < 1 || d > int.MaxValue))
                    throw new VolumeFormatException(Path, $"dataset '{name}' has unusable shape [{string.Join(", ", info.Dimensions)}]");
                var shape = new Shape3((int)info.Dimensions[0], (int)info.Dimensions[1], (int)info.Dimensions[2]);
                long voxels = (long)shape.X * shape.Y * shape.Z;
                if (voxels > Array.MaxLength) throw new VolumeFormatException(Path, $"dataset '{name}' of shape {shape} is too large for one array");
                TOut[] values = info.ElementType switch
                {
                    Hdf5ElementType.Float32 => converter.Convert(ReadRaw<float>(dataset, name, H5.NativeFloat, shape.Count)),
                    Hdf5ElementType.Float64 => converter.Convert(ReadRaw<double>(dataset, name, H5.NativeDouble, shape.Count)),
                    Hdf5ElementType.UInt8 => converter.Convert(ReadRaw<byte>(dataset, name, H5.NativeUInt8, shape.Count)),
                    Hdf5ElementType.Int8 => converter.Convert(ReadRaw<sbyte>(dataset, name, H5.NativeInt8, shape.Count)),
                    Hdf5ElementType.UInt16 => converter.Convert(ReadRaw<ushort>(dataset, name, H5.NativeUInt16, shape.Count)),
                    Hdf5ElementType.Int16 => converter.Convert(ReadRaw<short>(dataset, name, H5.NativeInt16, shape.Count)),
                    Hdf5ElementType.UInt32 => converter.Convert(ReadRaw<uint>(dataset, name, H5.NativeUInt32, shape.Count)),
                    Hdf5ElementType.Int32 => converter.Convert(ReadRaw<int>(dataset, name, H5.NativeInt32, shape.Count)),
                    Hdf5ElementType.UInt64 => converter.Convert(ReadRaw<ulong>(dataset, name, H5.NativeUInt64, shape.Count)),
                    Hdf5ElementType.Int64 => converter.Convert(ReadRaw<long>(dataset, name, H5.NativeInt64, shape.Count)),
                    _ => throw new UnsupportedElementTypeException(Path, $"dataset '{name}'", info.ElementType.ToString()),
                };
                return (shape, ReadSpacing(dataset), values);
            }
            finally
            {
                H5.H5Dclose(dataset);
            }
        }
    }

    private unsafe T[] ReadRaw<T>(long dataset, string name, long memoryType, int count) where T : unmanaged
    {
        var buffer = GC.AllocateUninitializedArray<T>(count);
        fixed (T* p = buffer)
        {
            if (H5.H5Dread(dataset, memoryType, H5.Default, H5.Default, H5.Default, p) < 0)
                throw new VolumeFormatException(Path, $"cannot read dataset '{name}' (corrupt or truncated data?): {H5.TakeErrorStack()}");
        }
        return buffer;
    }

    private unsafe Spacing3 ReadSpacing(long dataset)
    {
        if (H5.H5Aexists(dataset, "spacing") <= 0) { H5.H5Eclear2(H5.Default); return Spacing3.Unit; }
        long attribute = H5.H5Aopen(dataset, "spacing", H5.Default);
        if (attribute < 0) { H5.H5Eclear2(H5.Default); return Spacing3.Unit; }
        long space = -1;
        try
        {
            space = H5.H5Aget_space(attribute);
            ulong count = 0;
            if (space < 0 || H5.H5Sget_simple_extent_ndims(space) != 1) return Spacing3.Unit;
            H5.H5Sget_simple_extent_dims(space, &count, null);
            if (count != 3) return Spacing3.Unit;
            double* values = stackalloc double[3];
            if (H5.H5Aread(attribute, H5.NativeDouble, values) < 0) { H5.H5Eclear2(H5.Default); return Spacing3.Unit; }
            return new Spacing3(values[0], values[1], values[2]);
        }
        finally
        {
            if (space >= 0) H5.H5Sclose(space);
            H5.H5Aclose(attribute);
        }
    }

    private unsafe void WriteSpacing(long dataset, string name, Spacing3 spacing)
    {
        ulong count = 3;
        long space = -1, attribute = -1;
        try
        {
            space = Check(H5.H5Screate_simple(1, &count, null), name, "create attribute space");
            attribute = Check(H5.H5Acreate2(dataset, "spacing", H5.FileFloat64, space, H5.Default, H5.Default), name, "create spacing attribute");
            double* values = stackalloc double[3] { spacing.X, spacing.Y, spacing.Z };
            Check(H5.H5Awrite(attribute, H5.NativeDouble, values), name, "write spacing attribute");
        }
        finally
        {
            if (attribute >= 0) H5.H5Aclose(attribute);
            if (space >= 0) H5.H5Sclose(space);
        }
    }

    private long Check(long result, string name, string action)
    {
        if (result < 0) throw new VolumeFormatException(Path, $"HDF5 failed to {action} for dataset '{name}': {H5.TakeErrorStack()}");
        return result;
    }

    private static (long Memory, long File) TypesFor<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return (H5.NativeFloat, H5.FileFloat32);
        if (typeof(T) == typeof(double)) return (H5.NativeDouble, H5.FileFloat64);
        if (typeof(T) == typeof(byte)) return (H5.NativeUInt8, H5.FileUInt8);
        if (typeof(T) == typeof(sbyte)) return (H5.NativeInt8, H5.FileInt8);
        if (typeof(T) == typeof(ushort)) return (H5.NativeUInt16, H5.FileUInt16);
        if (typeof(T) == typeof(short)) return (H5.NativeInt16, H5.FileInt16);
        if (typeof(T) == typeof(uint)) return (H5.NativeUInt32, H5.FileUInt32);
        if (typeof(T) == typeof(int)) return (H5.NativeInt32, H5.FileInt32);
        if (typeof(T) == typeof(ulong)) return (H5.NativeUInt64, H5.FileUInt64);
        if (typeof(T) == typeof(long)) return (H5.NativeInt64, H5.FileInt64);
        throw new NotSupportedException($"HDF5 writing supports numeric element types only, not {typeof(T).Name}");
    }

    private interface IConverter<TOut>
    {
        TOut[] Convert<TIn>(TIn[] source) where TIn : unmanaged, INumberBase<TIn>;
    }

    private sealed class FloatConverter : IConverter<float>
    {
        public static readonly FloatConverter Instance = new();

        public float[] Convert<TIn>(TIn[] source) where TIn : unmanaged, INumberBase<TIn>
        {
            if (source is float[] same) return same;
            var result = GC.AllocateUninitializedArray<float>(source.Length);
            for (int i = 0; i < source.Length; i++) result[i] = float.CreateSaturating(source[i]);
            return result;
        }
    }

    private sealed class ByteConverter(string path, string name) : IConverter<byte>
    {
        public byte[] Convert<TIn>(TIn[] source) where TIn : unmanaged, INumberBase<TIn>
        {
            if (source is byte[] same) return same;
            var result = GC.AllocateUninitializedArray<byte>(source.Length);
            for (int i = 0; i < source.Length; i++)
                result[i] = VolumeChecks.ToLabelByte(double.CreateSaturating(source[i]), path, name);
            return result;
        }
    }

    /// <summary>Owns an HDF5 file id; closes it exactly once, even when the owner forgets to dispose.</summary>
    private sealed class FileHandle : SafeHandle
    {
        public FileHandle(long id) : base(-1, ownsHandle: true) => SetHandle((nint)id);

        public override bool IsInvalid => handle < 0;

        protected override bool ReleaseHandle()
        {
            lock (H5.Sync) return H5.H5Fclose(handle) >= 0;
        }
    }
}

/// <summary>
/// Reads and writes one segmentation case in the UA-MT/LA layout: dataset "image" (float32) and
/// "label" (uint8, or float 0/1 for Pancreas), both (X, Y, Z) as stored (docs/method.md §9).
/// </summary>
public static class Hdf5Case
{
    /// <summary>
    /// Reads image and label and checks them: same shape (<see cref="ShapeMismatchException"/>) and a
    /// finite image (<see cref="NonFiniteValueException"/>).
    /// </summary>
    public static (Volume<float> Image, Volume<byte> Label) Read(string path, string imageName = "image", string labelName = "label")
    {
        using var file = Hdf5File.OpenRead(path);
        var image = file.ReadFloat(imageName, requireFinite: true);
        var label = file.ReadLabel(labelName);
        VolumeChecks.RequireSameShape(image.Shape, label.Shape, path, imageName, labelName);
        return (image, label);
    }

    /// <summary>
    /// Writes a case atomically (temporary file then rename), gzip-chunked by default like the LA data.
    /// </summary>
    /// <param name="path">Destination, e.g. "&lt;root&gt;/&lt;ID&gt;/mri_norm2.h5".</param>
    /// <param name="image">Image (X, Y, Z), stored float32.</param>
    /// <param name="label">Label (X, Y, Z), stored uint8, or float32 0/1 when <paramref name="labelAsFloat"/>.</param>
    /// <param name="storage">Storage options; default gzip level 4, chunked.</param>
    /// <param name="labelAsFloat">Store the label as float32 (the Pancreas_h5 layout).</param>
    public static void Write(string path, Volume<float> image, Volume<byte> label, Hdf5StorageOptions? storage = null, bool labelAsFloat = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(label);
        VolumeChecks.RequireSameShape(image.Shape, label.Shape, path);
        SasNet.IO.AtomicFile.Replace(path, temporary =>
        {
            using var file = Hdf5File.Create(temporary);
            file.Write("image", image, storage);
            if (labelAsFloat) file.Write("label", label.Map(v => (float)v), storage);
            else file.Write("label", label, storage);
        });
    }
}
