using System.Text.Json.Nodes;
using Plotly.NET;

namespace SasNet.Plots.Tests;

/// <summary>A chart as the JSON Plotly.NET writes for it (<c>GenericChart.toJson</c>), for checking what plotly gets.</summary>
public sealed class ChartJson
{
    public ChartJson(GenericChart chart)
    {
        Text = GenericChart.toJson(chart);
        var root = JsonNode.Parse(Text)!;
        Data = root["data"]!.AsArray().Select(t => t!.AsObject()).ToList();
        Layout = root["layout"]!.AsObject();
        Config = root["config"]!.AsObject();
    }

    public string Text { get; }
    public IReadOnlyList<JsonObject> Data { get; }
    public JsonObject Layout { get; }
    public JsonObject Config { get; }

    public IEnumerable<string> TraceTypes => Data.Select(t => t["type"]!.GetValue<string>());

    public static string Str(JsonNode? node) => node!.GetValue<string>();
    public static double Num(JsonNode? node) => node!.GetValue<double>();
}

/// <summary>A plotly typed array <c>{dtype, bdata, shape}</c> decoded.</summary>
public sealed record TypedArray(string DType, int[] Shape, double[] Values)
{
    public static bool IsTypedArray(JsonNode? node) => node is JsonObject o && o.ContainsKey("dtype") && o.ContainsKey("bdata");

    public static TypedArray Decode(JsonNode? node)
    {
        Assert.True(IsTypedArray(node), $"not a typed array: {node?.ToJsonString()}");
        var dtype = node!["dtype"]!.GetValue<string>();
        var bytes = Convert.FromBase64String(node["bdata"]!.GetValue<string>());
        double[] values = dtype switch
        {
            "u1" => bytes.Select(b => (double)b).ToArray(),
            "u2" => Enumerable.Range(0, bytes.Length / 2).Select(i => (double)BitConverter.ToUInt16(bytes, 2 * i)).ToArray(),
            "i4" => Enumerable.Range(0, bytes.Length / 4).Select(i => (double)BitConverter.ToInt32(bytes, 4 * i)).ToArray(),
            "f4" => Enumerable.Range(0, bytes.Length / 4).Select(i => (double)BitConverter.ToSingle(bytes, 4 * i)).ToArray(),
            _ => throw new NotSupportedException($"dtype {dtype}"),
        };
        var shape = node["shape"] is { } s ? s.GetValue<string>().Split(',').Select(int.Parse).ToArray() : [values.Length];
        Assert.Equal(values.Length, shape.Aggregate(1, (a, b) => a * b));
        return new TypedArray(dtype, shape, values);
    }
}
