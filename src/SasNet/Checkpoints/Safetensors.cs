using SasNet.IO;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace SasNet.Checkpoints;

/// <summary>
/// Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header of
/// names → dtype/shape/byte range, then the raw little-endian data), so checkpoints open in
/// PyTorch with <c>safetensors.torch.load_file</c>. Writes are atomic: a temporary file in the
/// same folder is flushed to disk and renamed over the target, so a crash never leaves a
/// half-written checkpoint behind.
/// </summary>
public static class Safetensors
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    private static string Code(ScalarType type) => type switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"safetensors has no code for {type}"),
    };

    private static ScalarType? TypeOf(string code) => code switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => null,
    };

    /// <summary>Writes <paramref name="tensors"/> (any device; copied to host) and optional string metadata to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var names = tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        var sizes = new long[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            var t = tensors[names[i]];
            long bytes = t.numel() * t.element_size();
            sizes[i] = bytes;
            header[names[i]] = new JsonObject
            {
                ["dtype"] = Code(t.dtype),
                ["shape"] = new JsonArray(t.shape.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + bytes)),
            };
            offset += bytes;
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (headerBytes.Length + 7) / 8 * 8; // keep the data 8-byte aligned
        AtomicFile.Write(path, stream =>
        {
            Span<byte> lengthBytes = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)padded);
            stream.Write(lengthBytes);
            stream.Write(headerBytes);
            for (int i = headerBytes.Length; i < padded; i++) stream.WriteByte((byte)' ');
            for (int i = 0; i < names.Count; i++)
            {
                if (sizes[i] == 0) continue;
                stream.Write(HostBytes(tensors[names[i]]));
            }
        });
    }

    /// <summary>
    /// Reads every tensor of a safetensors file into new CPU tensors (owned by the caller / current
    /// dispose scope) and the header's metadata. A malformed file raises <see cref="InvalidDataException"/>
    /// naming the file and the problem.
    /// </summary>
    public static (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint '{path}' does not exist", path);
        using var stream = File.OpenRead(path);
        long length = stream.Length;
        InvalidDataException Bad(string problem) => new($"'{path}' is not a valid safetensors file: {problem}");
        if (length < 8) throw Bad($"it has {length} bytes, fewer than the 8-byte header length");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, length - 8)) throw Bad($"header length {headerLength} exceeds the file (truncated or not safetensors)");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        JsonObject header;
        try
        {
            header = JsonNode.Parse(headerBytes) as JsonObject ?? throw Bad("header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw Bad($"header is not valid JSON ({e.Message})");
        }
        long dataStart = 8 + (long)headerLength;
        long dataLength = length - dataStart;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == "__metadata__")
                {
                    if (node is JsonObject meta)
                        foreach (var (k, v) in meta) metadata[k] = v?.GetValue<string>() ?? "";
                    continue;
                }
                if (node is not JsonObject entry) throw Bad($"entry '{name}' is not an object");
                var code = entry["dtype"]?.GetValue<string>() ?? throw Bad($"entry '{name}' has no dtype");
                var type = TypeOf(code) ?? throw Bad($"entry '{name}' has unsupported dtype '{code}'");
                var shape = (entry["shape"] as JsonArray ?? throw Bad($"entry '{name}' has no shape")).Select(s => s!.GetValue<long>()).ToArray();
                var offsets = entry["data_offsets"] as JsonArray ?? throw Bad($"entry '{name}' has no data_offsets");
                if (offsets.Count != 2) throw Bad($"entry '{name}' data_offsets must have 2 values");
                long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
                long count = 1;
                foreach (var s in shape)
                {
                    if (s < 0) throw Bad($"entry '{name}' has a negative size in shape [{string.Join(", ", shape)}]");
                    count = checked(count * s);
                }
                long expected = count * ElementSize(type);
                if (begin < 0 || end < begin || end > dataLength)
                    throw Bad($"entry '{name}' byte range [{begin}, {end}) lies outside the {dataLength} data bytes (file truncated?)");
                if (end - begin != expected)
                    throw Bad($"entry '{name}' of shape [{string.Join(", ", shape)}] {code} needs {expected} bytes but its range holds {end - begin}");
                var bytes = new byte[expected];
                stream.Position = dataStart + begin;
                stream.ReadExactly(bytes);
                tensors[name] = FromBytes(bytes, shape, type);
            }
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return (tensors, metadata);
    }

    private static long ElementSize(ScalarType type)
    {
        using var probe = empty([0], type);
        return probe.element_size();
    }

    // The tensor's elements in C order as little-endian bytes (the host's order on every platform libtorch supports).
    private static byte[] HostBytes(Tensor t)
    {
        using var scope = NewDisposeScope();
        var host = t.detach().cpu().contiguous();
        return host.dtype == ScalarType.Bool ? host.to(ScalarType.Byte).bytes.ToArray() : host.bytes.ToArray();
    }

    private static Tensor FromBytes(byte[] bytes, long[] shape, ScalarType type)
    {
        var stored = type == ScalarType.Bool ? ScalarType.Byte : type;
        var result = empty(shape, stored);
        result.bytes = bytes;
        return type == ScalarType.Bool ? result.to(ScalarType.Bool) : result;
    }
}
