using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using SasNet.Geometry;

namespace SasNet.Data.IO;

/// <summary>A NRRD header: all fields as read (lower-case keys) plus the parsed geometry.</summary>
/// <param name="Fields">Every "key: value" field, keys lower-cased.</param>
/// <param name="Shape">Sizes (X, Y, Z), X fastest on disk.</param>
/// <param name="Spacing">Voxel spacing from 'space directions' (vector lengths) or 'spacings'; 1 when absent.</param>
/// <param name="SpaceDirections">The three direction vectors as given (null entries for "none"), or null.</param>
/// <param name="SpaceOrigin">'space origin', or null.</param>
public sealed record NrrdHeader(IReadOnlyDictionary<string, string> Fields, Shape3 Shape, Spacing3 Spacing,
    IReadOnlyList<double[]?>? SpaceDirections, double[]? SpaceOrigin);

/// <summary>
/// NRRD reader (and a small writer) for 3D scalar volumes, as in the raw LA data (lgemri.nrrd, laendo.nrrd).
/// Encodings raw, gzip and ascii; types int8…int64, uint8…uint64, float, double; both endians; attached or
/// detached ('data file') data with 'byte skip' / 'line skip'. NRRD stores the first axis fastest, so data
/// are converted to C order over (X, Y, Z), keeping each voxel's (x, y, z).
/// </summary>
public static class Nrrd
{
    /// <summary>Reads a volume as float.</summary>
    public static (Volume<float> Volume, NrrdHeader Header) ReadFloat(string path)
    {
        var (header, values) = Read(path);
        var floats = new float[values.Length];
        for (int i = 0; i < values.Length; i++) floats[i] = (float)values[i];
        return (new Volume<float>(header.Shape, Nifti.ToCOrder(floats, header.Shape), header.Spacing), header);
    }

    /// <summary>Reads a label map as bytes (every value must be a whole number 0..255; LA masks use 255 for the atrium).</summary>
    public static (Volume<byte> Volume, NrrdHeader Header) ReadLabel(string path)
    {
        var (header, values) = Read(path);
        var bytes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++) bytes[i] = VolumeChecks.ToLabelByte(values[i], path, "voxel data");
        return (new Volume<byte>(header.Shape, Nifti.ToCOrder(bytes, header.Shape), header.Spacing), header);
    }

    /// <summary>Writes a float or byte volume (attached data, raw or gzip) with 'space directions' from its spacing.</summary>
    public static void Write<T>(string path, Volume<T> volume, bool gzip = true) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        string type = typeof(T) == typeof(float) ? "float" : typeof(T) == typeof(byte) ? "uint8"
            : throw new NotSupportedException($"NRRD writing supports float and byte, not {typeof(T).Name}");
        var s = volume.Spacing;
        var header = new StringBuilder()
            .Append("NRRD0004\n")
            .Append($"type: {type}\n")
            .Append("dimension: 3\n")
            .Append("space: left-posterior-superior\n")
            .Append(CultureInfo.InvariantCulture, $"sizes: {volume.Shape.X} {volume.Shape.Y} {volume.Shape.Z}\n")
            .Append(CultureInfo.InvariantCulture, $"space directions: ({s.X:R},0,0) (0,{s.Y:R},0) (0,0,{s.Z:R})\n")
            .Append("kinds: domain domain domain\n")
            .Append("endian: little\n")
            .Append($"encoding: {(gzip ? "gzip" : "raw")}\n")
            .Append("space origin: (0,0,0)\n\n");
        var data = System.Runtime.InteropServices.MemoryMarshal.AsBytes(Nifti.ToFortranOrder(volume.Data, volume.Shape).AsSpan()).ToArray();
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes(header.ToString()));
        if (gzip)
        {
            using var z = new GZipStream(file, CompressionLevel.Optimal);
            z.Write(data);
        }
        else
        {
            file.Write(data);
        }
    }

    /// <summary>Reads the header and the values in file order (first axis fastest).</summary>
    private static (NrrdHeader Header, double[] Values) Read(string path)
    {
        try
        {
            return ReadCore(path);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or IndexOutOfRangeException)
        {
            throw new VolumeFormatException(path, $"malformed NRRD header or data: {e.Message}", e);
        }
    }

    private static (NrrdHeader Header, double[] Values) ReadCore(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"NRRD file not found: {path}", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8 || Encoding.ASCII.GetString(bytes, 0, 4) != "NRRD")
            throw new VolumeFormatException(path, "not a NRRD file (missing the 'NRRD000x' magic line)");
        // Header: lines up to the first empty line.
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        int position = 0, dataStart = -1;
        while (position < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', position);
            if (end < 0) break;
            var line = Encoding.ASCII.GetString(bytes, position, end - position).TrimEnd('\r');
            position = end + 1;
            if (line.Length == 0) { dataStart = position; break; }
            if (line.StartsWith('#') || line.StartsWith("NRRD", StringComparison.Ordinal)) continue;
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0) continue; // key:=value pairs are free-form metadata
            fields[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 2)..].Trim();
        }
        string Field(string key) => fields.TryGetValue(key, out var v) ? v : throw new VolumeFormatException(path, $"NRRD header lacks the required field '{key}'");
        int dimension = int.Parse(Field("dimension"), CultureInfo.InvariantCulture);
        var sizes = Field("sizes").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        if (sizes.Length != dimension) throw new VolumeFormatException(path, $"'sizes' has {sizes.Length} entries for dimension {dimension}");
        // Accept 3D, or 4D with a leading singleton (e.g. a one-component vector axis).
        if (dimension == 4 && sizes[0] == 1) sizes = sizes[1..];
        else if (dimension != 3) throw new VolumeFormatException(path, $"dimension {dimension} (sizes {string.Join("×", sizes)}); only 3D scalar volumes are supported");
        var shape = new Shape3(sizes[0], sizes[1], sizes[2]);
        var (elementSize, decode) = Element(path, Field("type"));
        string encoding = Field("encoding").ToLowerInvariant();
        bool bigEndian = fields.TryGetValue("endian", out var endian) && endian.Equals("big", StringComparison.OrdinalIgnoreCase);

        byte[] payload;
        if (fields.TryGetValue("data file", out var dataFile) || fields.TryGetValue("datafile", out dataFile))
        {
            if (dataFile.StartsWith("LIST", StringComparison.Ordinal) || dataFile.Contains('%'))
                throw new VolumeFormatException(path, $"multi-file 'data file: {dataFile}' is not supported");
            var detached = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, dataFile);
            if (!File.Exists(detached)) throw new VolumeFormatException(path, $"detached data file not found: {detached}");
            payload = File.ReadAllBytes(detached);
        }
        else
        {
            if (dataStart < 0) throw new VolumeFormatException(path, "header does not end with an empty line, so there is no attached data (truncated?)");
            payload = bytes[dataStart..];
        }
        if (fields.TryGetValue("line skip", out var lineSkip))
        {
            int lines = int.Parse(lineSkip, CultureInfo.InvariantCulture), at = 0;
            for (int i = 0; i < lines; i++) { at = Array.IndexOf(payload, (byte)'\n', at) + 1; if (at == 0) break; }
            payload = payload[at..];
        }
        if (encoding is "gzip" or "gz")
        {
            try
            {
                using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
                using var output = new MemoryStream();
                gzip.CopyTo(output);
                payload = output.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw new VolumeFormatException(path, $"corrupt or truncated gzip data: {e.Message}", e);
            }
        }
        int n = shape.Count;
        var values = new double[n];
        if (encoding is "ascii" or "text" or "txt")
        {
            var tokens = Encoding.ASCII.GetString(payload).Split((char[])[' ', '\n', '\r', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length < n) throw new VolumeFormatException(path, $"ascii data has {tokens.Length} values, {shape} needs {n} (truncated?)");
            for (int i = 0; i < n; i++) values[i] = double.Parse(tokens[i], CultureInfo.InvariantCulture);
        }
        else if (encoding is "raw" or "gzip" or "gz")
        {
            long needed = (long)n * elementSize;
            long skip = 0;
            if (fields.TryGetValue("byte skip", out var byteSkip))
                skip = int.Parse(byteSkip, CultureInfo.InvariantCulture) == -1 ? payload.Length - needed : int.Parse(byteSkip, CultureInfo.InvariantCulture);
            if (skip < 0 || payload.Length - skip < needed)
                throw new VolumeFormatException(path, $"truncated: {shape} voxels of {Field("type")} need {needed} bytes of data, found {payload.Length - skip}");
            var span = payload.AsSpan((int)skip);
            for (int i = 0; i < n; i++) values[i] = decode(span.Slice(i * elementSize, elementSize), bigEndian);
        }
        else
        {
            throw new VolumeFormatException(path, $"unsupported NRRD encoding '{encoding}' (raw, gzip and ascii are supported)");
        }

        var directions = ParseDirections(fields);
        var spacing = Spacing3.Unit;
        if (directions is not null)
        {
            var spatial = directions.Where(d => d is not null).Select(d => Math.Sqrt(d!.Sum(c => c * c))).ToArray();
            if (spatial.Length == 3) spacing = new Spacing3(spatial[0], spatial[1], spatial[2]);
        }
        else if (fields.TryGetValue("spacings", out var spacings))
        {
            var parts = spacings.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.Equals("nan", StringComparison.OrdinalIgnoreCase))
                .Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            if (parts.Length == 3) spacing = new Spacing3(parts[0], parts[1], parts[2]);
        }
        double[]? origin = fields.TryGetValue("space origin", out var o) ? ParseVector(o) : null;
        return (new NrrdHeader(fields, shape, spacing, directions, origin), values);
    }

    private static List<double[]?>? ParseDirections(Dictionary<string, string> fields)
    {
        if (!fields.TryGetValue("space directions", out var text)) return null;
        var result = new List<double[]?>();
        int i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i])) { i++; continue; }
            if (text[i] == '(')
            {
                int close = text.IndexOf(')', i);
                result.Add(ParseVector(text[i..(close + 1)]));
                i = close + 1;
            }
            else
            {
                int next = text.IndexOf(' ', i);
                if (next < 0) next = text.Length;
                result.Add(null); // "none" for a non-spatial axis
                i = next;
            }
        }
        return result;
    }

    private static double[] ParseVector(string text) =>
        text.Trim().Trim('(', ')').Split(',').Select(v => double.Parse(v.Trim(), CultureInfo.InvariantCulture)).ToArray();

    private static (int Size, Func<ReadOnlySpan<byte>, bool, double> Decode) Element(string path, string type) => type.ToLowerInvariant() switch
    {
        "signed char" or "int8" or "int8_t" => (1, (s, _) => (sbyte)s[0]),
        "uchar" or "unsigned char" or "uint8" or "uint8_t" => (1, (s, _) => s[0]),
        "short" or "short int" or "signed short" or "signed short int" or "int16" or "int16_t" =>
            (2, (s, be) => be ? BinaryPrimitives.ReadInt16BigEndian(s) : BinaryPrimitives.ReadInt16LittleEndian(s)),
        "ushort" or "unsigned short" or "unsigned short int" or "uint16" or "uint16_t" =>
            (2, (s, be) => be ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s)),
        "int" or "signed int" or "int32" or "int32_t" => (4, (s, be) => be ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s)),
        "uint" or "unsigned int" or "uint32" or "uint32_t" => (4, (s, be) => be ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s)),
        "longlong" or "long long" or "long long int" or "signed long long" or "signed long long int" or "int64" or "int64_t" =>
            (8, (s, be) => be ? BinaryPrimitives.ReadInt64BigEndian(s) : BinaryPrimitives.ReadInt64LittleEndian(s)),
        "ulonglong" or "unsigned long long" or "unsigned long long int" or "uint64" or "uint64_t" =>
            (8, (s, be) => be ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s)),
        "float" => (4, (s, be) => be ? BinaryPrimitives.ReadSingleBigEndian(s) : BinaryPrimitives.ReadSingleLittleEndian(s)),
        "double" => (8, (s, be) => be ? BinaryPrimitives.ReadDoubleBigEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s)),
        _ => throw new UnsupportedElementTypeException(path, "voxel data", $"NRRD type '{type}'"),
    };
}
