using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SasNet.Geometry;

namespace SasNet.Data.IO;

/// <summary>NIfTI-1 datatype codes this kit reads and writes.</summary>
public enum NiftiDataType : short
{
    /// <summary>unsigned char.</summary>
    UInt8 = 2,
    /// <summary>signed short.</summary>
    Int16 = 4,
    /// <summary>signed int.</summary>
    Int32 = 8,
    /// <summary>32-bit float.</summary>
    Float32 = 16,
    /// <summary>64-bit float.</summary>
    Float64 = 64,
    /// <summary>signed char.</summary>
    Int8 = 256,
    /// <summary>unsigned short.</summary>
    UInt16 = 512,
    /// <summary>unsigned int.</summary>
    UInt32 = 768,
}

/// <summary>
/// The NIfTI-1 header fields the kit keeps: sizes, datatype, voxel spacing (pixdim), intensity scaling and
/// the orientation (qform and sform, kept exactly as read and written back unchanged). Sizes are (X, Y, Z)
/// with X the fastest axis on disk.
/// </summary>
public sealed record NiftiHeader
{
    /// <summary>Sizes dim[1..3].</summary>
    public Shape3 Shape { get; init; }

    /// <summary>Stored datatype.</summary>
    public NiftiDataType DataType { get; init; } = NiftiDataType.Float32;

    /// <summary>pixdim[1..3], the voxel spacing (usually mm).</summary>
    public Spacing3 Spacing { get; init; } = Spacing3.Unit;

    /// <summary>pixdim[0]: the qfac (±1) of the qform.</summary>
    public float QFac { get; init; } = 1;

    /// <summary>scl_slope; 0 means "no scaling".</summary>
    public float ScaleSlope { get; init; }

    /// <summary>scl_inter.</summary>
    public float ScaleIntercept { get; init; }

    /// <summary>qform_code (0 unknown, 1 scanner, 2 aligned, …).</summary>
    public short QFormCode { get; init; }

    /// <summary>sform_code.</summary>
    public short SFormCode { get; init; }

    /// <summary>Quaternion (b, c, d) of the qform.</summary>
    public (float B, float C, float D) Quaternion { get; init; }

    /// <summary>qoffset (x, y, z).</summary>
    public (float X, float Y, float Z) QOffset { get; init; }

    /// <summary>The sform's three rows srow_x, srow_y, srow_z, 4 values each (row-major 3×4).</summary>
    public float[] SRows { get; init; } = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0];

    /// <summary>xyzt_units (2 = mm, 8 = s).</summary>
    public byte XyztUnits { get; init; } = 2;

    /// <summary>descrip (at most 79 ASCII characters).</summary>
    public string Description { get; init; } = "";

    /// <summary>A header for a new image with an identity-like orientation scaled by the spacing (qform and sform code 1).</summary>
    public static NiftiHeader ForVolume(Shape3 shape, Spacing3 spacing, NiftiDataType dataType) => new()
    {
        Shape = shape,
        Spacing = spacing,
        DataType = dataType,
        QFormCode = 1,
        SFormCode = 1,
        SRows = [(float)spacing.X, 0, 0, 0, 0, (float)spacing.Y, 0, 0, 0, 0, (float)spacing.Z, 0],
    };
}

/// <summary>
/// NIfTI-1 single-file reader and writer (.nii, and .nii.gz through <see cref="GZipStream"/>). NIfTI stores
/// X fastest (Fortran order); volumes here are C order over (X, Y, Z) with Z fastest, so voxel (x, y, z) keeps
/// its meaning and only the memory order changes. scl_slope/scl_inter are applied on read (when slope ≠ 0).
/// Both byte orders are read; files are written little-endian. 4D files are accepted only with one volume.
/// </summary>
public static class Nifti
{
    private const int HeaderSize = 348;

    /// <summary>Reads the header only.</summary>
    public static NiftiHeader ReadHeader(string path) => Parse(path, ReadAllBytes(path), out _, out _);

    /// <summary>Reads an image as float (scaled by scl_slope/scl_inter).</summary>
    public static (Volume<float> Volume, NiftiHeader Header) ReadFloat(string path)
    {
        var bytes = ReadAllBytes(path);
        var header = Parse(path, bytes, out int offset, out bool bigEndian);
        var raw = Decode(path, bytes, offset, header, bigEndian);
        bool scaled = header.ScaleSlope != 0 && float.IsFinite(header.ScaleSlope) && !(header.ScaleSlope == 1 && header.ScaleIntercept == 0);
        var values = new float[raw.Length];
        for (int i = 0; i < raw.Length; i++) values[i] = (float)(scaled ? raw[i] * header.ScaleSlope + header.ScaleIntercept : raw[i]);
        return (new Volume<float>(header.Shape, ToCOrder(values, header.Shape), header.Spacing), header);
    }

    /// <summary>Reads a label map as bytes (scaling applied; every value must be a whole number 0..255).</summary>
    public static (Volume<byte> Volume, NiftiHeader Header) ReadLabel(string path)
    {
        var (image, header) = ReadFloat(path);
        var values = new byte[image.Data.Length];
        for (int i = 0; i < values.Length; i++) values[i] = VolumeChecks.ToLabelByte(image.Data[i], path, "voxel data");
        return (new Volume<byte>(image.Shape, values, image.Spacing), header);
    }

    /// <summary>
    /// Writes a float image as float32 (or a byte label as uint8), gzip-compressed when the path ends in ".gz".
    /// Orientation fields come from <paramref name="template"/> (e.g. the header read from the source) and are
    /// written back unchanged; shape, spacing and datatype follow the volume; scaling is reset to none.
    /// </summary>
    public static void Write<T>(string path, Volume<T> volume, NiftiHeader? template = null) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        var type = typeof(T) == typeof(float) ? NiftiDataType.Float32
            : typeof(T) == typeof(byte) ? NiftiDataType.UInt8
            : typeof(T) == typeof(short) ? NiftiDataType.Int16
            : typeof(T) == typeof(int) ? NiftiDataType.Int32
            : typeof(T) == typeof(double) ? NiftiDataType.Float64
            : throw new NotSupportedException($"NIfTI writing supports float, double, byte, short and int, not {typeof(T).Name}");
        var header = (template ?? NiftiHeader.ForVolume(volume.Shape, volume.Spacing, type)) with
        {
            Shape = volume.Shape,
            Spacing = volume.Spacing,
            DataType = type,
            ScaleSlope = 0,
            ScaleIntercept = 0,
        };
        int bytesPerVoxel = BytesPer(type);
        var buffer = new byte[352 + (long)volume.Shape.Count * bytesPerVoxel];
        WriteHeader(buffer, header);
        var fortran = ToFortranOrder(volume.Data, volume.Shape);
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(fortran.AsSpan()).CopyTo(buffer.AsSpan(352));
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("NIfTI writing assumes a little-endian machine");
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var file = File.Create(full);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            using var gzip = new GZipStream(file, CompressionLevel.Optimal);
            gzip.Write(buffer);
        }
        else
        {
            file.Write(buffer);
        }
    }

    private static byte[] ReadAllBytes(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"NIfTI file not found: {path}", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
        {
            try
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var output = new MemoryStream();
                gzip.CopyTo(output);
                return output.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw new VolumeFormatException(path, $"corrupt or truncated gzip stream: {e.Message}", e);
            }
        }
        return bytes;
    }

    private static NiftiHeader Parse(string path, byte[] b, out int dataOffset, out bool bigEndian)
    {
        if (b.Length < HeaderSize) throw new VolumeFormatException(path, $"file has {b.Length} bytes, shorter than the 348-byte NIfTI-1 header (truncated?)");
        int sizeLe = BinaryPrimitives.ReadInt32LittleEndian(b), sizeBe = BinaryPrimitives.ReadInt32BigEndian(b);
        if (sizeLe == HeaderSize) bigEndian = false;
        else if (sizeBe == HeaderSize) bigEndian = true;
        else if (sizeLe == 540 || sizeBe == 540) throw new UnsupportedElementTypeException(path, "header", "NIfTI-2 (only NIfTI-1 is supported)");
        else throw new VolumeFormatException(path, $"not a NIfTI-1 file (sizeof_hdr is {sizeLe}, expected 348)");
        bool be = bigEndian;
        short I16(int o) => be ? BinaryPrimitives.ReadInt16BigEndian(b.AsSpan(o)) : BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(o));
        float F32(int o) => be ? BinaryPrimitives.ReadSingleBigEndian(b.AsSpan(o)) : BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(o));
        string magic = Encoding.ASCII.GetString(b, 344, 3);
        if (magic == "ni1") throw new VolumeFormatException(path, "this is a two-file NIfTI (.hdr/.img) header; convert it to a single .nii file");
        if (magic != "n+1") throw new VolumeFormatException(path, $"bad NIfTI-1 magic '{magic}' (expected 'n+1')");
        int rank = I16(40);
        if (rank < 1 || rank > 7) throw new VolumeFormatException(path, $"dim[0] = {rank} is not a valid rank");
        var dims = new int[8];
        for (int i = 1; i <= 7; i++) dims[i] = i <= rank ? I16(40 + 2 * i) : 1;
        for (int i = 4; i <= 7; i++)
            if (dims[i] > 1) throw new VolumeFormatException(path, $"holds a {rank}D image with dim[{i}] = {dims[i]}; only single 3D volumes are supported");
        if (dims[1] < 1 || dims[2] < 1 || dims[3] < 1) throw new VolumeFormatException(path, $"invalid sizes {dims[1]}×{dims[2]}×{dims[3]}");
        short code = I16(70);
        if (!Enum.IsDefined(typeof(NiftiDataType), code))
            throw new UnsupportedElementTypeException(path, "voxel data", $"NIfTI datatype {code}");
        var type = (NiftiDataType)code;
        float Pix(int i) { float v = F32(76 + 4 * i); return v > 0 && float.IsFinite(v) ? v : 1; }
        float qfac = F32(76);
        var srows = new float[12];
        for (int i = 0; i < 12; i++) srows[i] = F32(280 + 4 * i);
        float voxOffset = F32(108);
        dataOffset = Math.Max(352, (int)voxOffset);
        var header = new NiftiHeader
        {
            Shape = new Shape3(dims[1], dims[2], dims[3]),
            DataType = type,
            Spacing = new Spacing3(Pix(1), Pix(2), Pix(3)),
            QFac = qfac < 0 ? -1 : 1,
            ScaleSlope = F32(112),
            ScaleIntercept = F32(116),
            XyztUnits = b[123],
            Description = Encoding.ASCII.GetString(b, 148, 80).TrimEnd('\0'),
            QFormCode = I16(252),
            SFormCode = I16(254),
            Quaternion = (F32(256), F32(260), F32(264)),
            QOffset = (F32(268), F32(272), F32(276)),
            SRows = srows,
        };
        long needed = dataOffset + (long)header.Shape.Count * BytesPer(type);
        if (b.Length < needed)
            throw new VolumeFormatException(path, $"truncated: {header.Shape} voxels of {type} need {needed} bytes, the file has {b.Length}");
        return header;
    }

    private static double[] Decode(string path, byte[] b, int offset, NiftiHeader header, bool bigEndian)
    {
        int n = header.Shape.Count;
        var values = new double[n];
        var s = b.AsSpan(offset);
        switch (header.DataType)
        {
            case NiftiDataType.UInt8: for (int i = 0; i < n; i++) values[i] = s[i]; break;
            case NiftiDataType.Int8: for (int i = 0; i < n; i++) values[i] = (sbyte)s[i]; break;
            case NiftiDataType.Int16: for (int i = 0; i < n; i++) values[i] = bigEndian ? BinaryPrimitives.ReadInt16BigEndian(s[(2 * i)..]) : BinaryPrimitives.ReadInt16LittleEndian(s[(2 * i)..]); break;
            case NiftiDataType.UInt16: for (int i = 0; i < n; i++) values[i] = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s[(2 * i)..]) : BinaryPrimitives.ReadUInt16LittleEndian(s[(2 * i)..]); break;
            case NiftiDataType.Int32: for (int i = 0; i < n; i++) values[i] = bigEndian ? BinaryPrimitives.ReadInt32BigEndian(s[(4 * i)..]) : BinaryPrimitives.ReadInt32LittleEndian(s[(4 * i)..]); break;
            case NiftiDataType.UInt32: for (int i = 0; i < n; i++) values[i] = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s[(4 * i)..]) : BinaryPrimitives.ReadUInt32LittleEndian(s[(4 * i)..]); break;
            case NiftiDataType.Float32: for (int i = 0; i < n; i++) values[i] = bigEndian ? BinaryPrimitives.ReadSingleBigEndian(s[(4 * i)..]) : BinaryPrimitives.ReadSingleLittleEndian(s[(4 * i)..]); break;
            case NiftiDataType.Float64: for (int i = 0; i < n; i++) values[i] = bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(s[(8 * i)..]) : BinaryPrimitives.ReadDoubleLittleEndian(s[(8 * i)..]); break;
            default: throw new UnsupportedElementTypeException(path, "voxel data", header.DataType.ToString());
        }
        return values;
    }

    private static void WriteHeader(byte[] b, NiftiHeader h)
    {
        var s = b.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(s, HeaderSize);
        b[38] = (byte)'r'; // regular
        short[] dim = [3, (short)h.Shape.X, (short)h.Shape.Y, (short)h.Shape.Z, 1, 1, 1, 1];
        if (h.Shape.X > short.MaxValue || h.Shape.Y > short.MaxValue || h.Shape.Z > short.MaxValue)
            throw new ArgumentException($"NIfTI-1 sizes are 16-bit; {h.Shape} is too large");
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteInt16LittleEndian(s[(40 + 2 * i)..], dim[i]);
        BinaryPrimitives.WriteInt16LittleEndian(s[70..], (short)h.DataType);
        BinaryPrimitives.WriteInt16LittleEndian(s[72..], (short)(BytesPer(h.DataType) * 8));
        float[] pixdim = [h.QFac, (float)h.Spacing.X, (float)h.Spacing.Y, (float)h.Spacing.Z, 1, 1, 1, 1];
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteSingleLittleEndian(s[(76 + 4 * i)..], pixdim[i]);
        BinaryPrimitives.WriteSingleLittleEndian(s[108..], 352f);
        BinaryPrimitives.WriteSingleLittleEndian(s[112..], h.ScaleSlope);
        BinaryPrimitives.WriteSingleLittleEndian(s[116..], h.ScaleIntercept);
        b[123] = h.XyztUnits;
        var description = Encoding.ASCII.GetBytes(h.Description);
        description.AsSpan(0, Math.Min(79, description.Length)).CopyTo(s[148..]);
        BinaryPrimitives.WriteInt16LittleEndian(s[252..], h.QFormCode);
        BinaryPrimitives.WriteInt16LittleEndian(s[254..], h.SFormCode);
        BinaryPrimitives.WriteSingleLittleEndian(s[256..], h.Quaternion.B);
        BinaryPrimitives.WriteSingleLittleEndian(s[260..], h.Quaternion.C);
        BinaryPrimitives.WriteSingleLittleEndian(s[264..], h.Quaternion.D);
        BinaryPrimitives.WriteSingleLittleEndian(s[268..], h.QOffset.X);
        BinaryPrimitives.WriteSingleLittleEndian(s[272..], h.QOffset.Y);
        BinaryPrimitives.WriteSingleLittleEndian(s[276..], h.QOffset.Z);
        for (int i = 0; i < 12; i++) BinaryPrimitives.WriteSingleLittleEndian(s[(280 + 4 * i)..], h.SRows[i]);
        "n+1\0"u8.CopyTo(s[344..]);
    }

    private static int BytesPer(NiftiDataType type) => type switch
    {
        NiftiDataType.UInt8 or NiftiDataType.Int8 => 1,
        NiftiDataType.Int16 or NiftiDataType.UInt16 => 2,
        NiftiDataType.Int32 or NiftiDataType.UInt32 or NiftiDataType.Float32 => 4,
        _ => 8,
    };

    /// <summary>Fortran order (x fastest) → C order over (X, Y, Z) (z fastest), same voxel meaning.</summary>
    internal static T[] ToCOrder<T>(T[] fortran, Shape3 shape)
    {
        var result = new T[fortran.Length];
        int i = 0;
        for (int z = 0; z < shape.Z; z++)
            for (int y = 0; y < shape.Y; y++)
                for (int x = 0; x < shape.X; x++)
                    result[shape.Index(x, y, z)] = fortran[i++];
        return result;
    }

    /// <summary>C order over (X, Y, Z) → Fortran order (x fastest).</summary>
    internal static T[] ToFortranOrder<T>(T[] c, Shape3 shape)
    {
        var result = new T[c.Length];
        int i = 0;
        for (int z = 0; z < shape.Z; z++)
            for (int y = 0; y < shape.Y; y++)
                for (int x = 0; x < shape.X; x++)
                    result[i++] = c[shape.Index(x, y, z)];
        return result;
    }
}
