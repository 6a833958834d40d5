using System.Globalization;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using SasNet.Geometry;
using Chart = Plotly.NET.CSharp.Chart;

namespace SasNet.Plots.Builders;

/// <summary>How a mask is drawn over the image.</summary>
public enum OverlayStyle
{
    /// <summary>Outline of the mask (contour at 0.5).</summary>
    Contour,

    /// <summary>Semi-transparent colour fill.</summary>
    Fill,
}

/// <summary>Settings of <see cref="SliceViewer.Create"/>.</summary>
public sealed record SliceViewerOptions
{
    /// <summary>Figure title.</summary>
    public string? Title { get; init; }

    /// <summary>Outline or fill for the masks.</summary>
    public OverlayStyle Overlay { get; init; } = OverlayStyle.Contour;

    /// <summary>At most this many slices go into the figure (evenly spaced); keeps the HTML small.</summary>
    public int MaxSlices { get; init; } = 64;

    /// <summary>Slices larger than this (pixels along either side) are downsampled by an integer factor.</summary>
    public int MaxInPlaneSize { get; init; } = 192;

    /// <summary>Intensity window as percentiles of the image (low, high); values outside are clipped.</summary>
    public (double Low, double High) WindowPercentiles { get; init; } = (0.5, 99.5);

    /// <summary>Colour of the ground-truth mask.</summary>
    public string LabelColor { get; init; } = "#2ca02c";

    /// <summary>Colour of the predicted mask.</summary>
    public string PredictionColor { get; init; } = "#d62728";

    /// <summary>Legend names of the two masks.</summary>
    public (string Label, string Prediction) Names { get; init; } = ("ground truth", "prediction");

    /// <summary>Figure height in pixels.</summary>
    public int Height { get; init; } = 620;
}

/// <summary>
/// An image slice viewer: one plane of a volume as a grey heatmap, optional label and prediction masks drawn
/// over it (outline or translucent fill), and a slider that walks through the slices. The image is windowed to
/// 8 bits and every slice is a plotly typed array; masks are cropped per slice to their bounding box, so a whole
/// volume fits in about a megabyte of chart JSON.
/// </summary>
public static class SliceViewer
{
    private static readonly string[] AxisNames = ["X", "Y", "Z"];

    /// <summary>
    /// A viewer of <paramref name="image"/> across <paramref name="axis"/> (0 = X, 1 = Y, 2 = Z), starting at the
    /// slice with most label (or the middle one). The chart holds one heatmap trace for the image and one trace per
    /// mask given (a contour at 0.5, or a translucent heatmap with <see cref="OverlayStyle.Fill"/>); each slider step
    /// restyles all of them to its slice. The in-plane axes are the other two volume axes in order: the first runs
    /// across (x), the second up (y), both in physical units (index × spacing) at equal scale.
    /// </summary>
    /// <param name="image">The volume, shape (X, Y, Z).</param>
    /// <param name="label">Ground-truth mask of the same shape (non-zero = inside), or null.</param>
    /// <param name="prediction">Predicted mask of the same shape, or null.</param>
    /// <param name="axis">The axis the slider walks along.</param>
    /// <param name="options">Title, overlay style, size limits, colours.</param>
    public static GenericChart Create(Volume<float> image, Volume<byte>? label = null, Volume<byte>? prediction = null,
        int axis = 2, SliceViewerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)axis, 2u, nameof(axis));
        options ??= new SliceViewerOptions();
        foreach (var mask in new[] { label, prediction })
        {
            if (mask is not null && mask.Shape != image.Shape)
                throw new ArgumentException($"mask shape {mask.Shape} differs from image shape {image.Shape}");
        }

        int across = axis == 0 ? 1 : 0, up = axis == 2 ? 1 : 2;
        int step = Math.Max(1, (int)Math.Ceiling(Math.Max(image.Shape[across], image.Shape[up]) / (double)options.MaxInPlaneSize));
        var plane = new Plane(axis, across, up, step, (image.Shape[across] + step - 1) / step, (image.Shape[up] + step - 1) / step);
        var slices = ChooseSlices(image.Shape[axis], options.MaxSlices);
        var (low, high) = Window(image.Data, options.WindowPercentiles);
        double dx = step * image.Spacing[across], dy = step * image.Spacing[up];

        var masks = new List<(Volume<byte> Mask, string Name, string Color)>();
        if (label is not null) masks.Add((label, options.Names.Label, options.LabelColor));
        if (prediction is not null) masks.Add((prediction, options.Names.Prediction, options.PredictionColor));

        // The restyle arguments of every slider step: per trace, the slice's pixels and where they start.
        var sliceData = slices.Select(slice =>
        {
            var z = new List<EncodedTypedArray> { ImageSlice(image, plane, slice, low, high) };
            var x0 = new List<double> { 0 };
            var y0 = new List<double> { 0 };
            foreach (var (mask, _, _) in masks)
            {
                var (pixels, column, row) = MaskSlice(mask, plane, slice);
                z.Add(pixels);
                x0.Add(column * dx);
                y0.Add(row * dy);
            }
            return (Z: z, X0: x0, Y0: y0);
        }).ToList();

        int initial = InitialSlice(slices, label ?? prediction, axis);
        var shown = sliceData[initial];
        var traces = new List<GenericChart>
        {
            Chart.Heatmap<string>(zEncoded: shown.Z[0], Name: "image", ShowScale: false,
                    ColorScale: StyleParam.Colorscale.Greys, UseDefaults: false)
                .WithTraceAttributes(("x0", 0.0), ("dx", dx), ("y0", 0.0), ("dy", dy), ("zmin", 0), ("zmax", 255),
                    ("hovertemplate", "%{x:.0f}, %{y:.0f}: %{z}<extra></extra>")),
        };
        for (int m = 0; m < masks.Count; m++)
        {
            var (_, name, color) = masks[m];
            var overlay = options.Overlay == OverlayStyle.Contour ? Outline(name, color) : Fill(name, color);
            traces.Add(overlay.WithTraceAttributes(("z", shown.Z[m + 1]), ("x0", shown.X0[m + 1]), ("dx", dx),
                ("y0", shown.Y0[m + 1]), ("dy", dy), ("hoverinfo", "skip")));
        }

        var traceIndices = Enumerable.Range(0, traces.Count).ToArray();
        // Restyle takes one update object (attribute -> one value per trace) and the indices of the traces it changes.
        var steps = slices.Select((slice, s) => LayoutParts.SliderStep(slice.ToString(CultureInfo.InvariantCulture),
            StyleParam.Method.Restyle,
            new Dictionary<string, object> { ["z"] = sliceData[s].Z, ["x0"] = sliceData[s].X0, ["y0"] = sliceData[s].Y0 },
            traceIndices));

        var layout = new Layout()
            .With("title", LayoutParts.Title(options.Title ?? $"{AxisNames[axis]} slices of {image.Shape}"))
            .With("height", options.Height)
            .With("margin", LayoutParts.Margins(50, 20, 80, 40));
        var chart = Plotly.NET.Chart.withLayout(layout).Invoke(Chart.Combine(traces));
        chart = Plotly.NET.Chart.withSlider(LayoutParts.Slider(initial, steps, $"{AxisNames[axis]} = ", padTop: 55), null).Invoke(chart);
        chart = Plotly.NET.Chart.withXAxis(LayoutParts.Axis(title: AxisNames[across], showGrid: false, zeroLine: false,
            constrain: StyleParam.AxisConstraint.Domain), null).Invoke(chart);
        // Equal scales: a voxel is as wide as it is high (in physical units).
        chart = Plotly.NET.Chart.withYAxis(LayoutParts.Axis(title: AxisNames[up], showGrid: false, zeroLine: false,
            scaleAnchor: "x", scaleRatio: 1.0, constrain: StyleParam.AxisConstraint.Domain), null).Invoke(chart);
        chart = Plotly.NET.Chart.withLegend(LayoutParts.Legend(StyleParam.Orientation.Horizontal, 0, 1.08), null).Invoke(chart);
        return Plotly.NET.Chart.withConfig(LayoutParts.Interactive()).Invoke(chart);
    }

    // The outline of a mask: one contour line at 0.5, coloured through a single-colour scale. The caller sets z (the
    // C# Contour takes nested lists only). The line is set after creation: the C# Contour writes a zero line width.
    private static GenericChart Outline(string name, string color) =>
        Chart.Contour<byte, double, double, string>(
                zData: [[0]], Name: name, ShowLegend: true, ShowScale: false,
                ColorScale: SingleColour(color, color), Contours: LayoutParts.MaskOutlineLevel(), UseDefaults: false)
            .WithTraceAttributes(("line", LayoutParts.Line(color, 2)));

    // A translucent fill: 0 is transparent, 1 the mask colour.
    private static GenericChart Fill(string name, string color) =>
        Chart.Heatmap<string>(zEncoded: EncodedTypedArray.ofUInt8Array([0], null), Name: name, ShowLegend: true, ShowScale: false,
                Opacity: 0.45, ColorScale: SingleColour("rgba(0,0,0,0)", color), UseDefaults: false)
            .WithTraceAttributes(("zmin", 0), ("zmax", 1));

    private static StyleParam.Colorscale SingleColour(string zero, string one) =>
        StyleParam.Colorscale.NewCustom([Tuple.Create(0.0, Color.fromString(zero)), Tuple.Create(1.0, Color.fromString(one))]);

    /// <summary>Which voxels one slice shows: the in-plane axes, the in-plane downsampling step and the pixel grid.</summary>
    private readonly record struct Plane(int Axis, int Across, int Up, int Step, int Columns, int Rows);

    private static int[] ChooseSlices(int count, int maxSlices)
    {
        if (count <= maxSlices) return Enumerable.Range(0, count).ToArray();
        return Enumerable.Range(0, maxSlices).Select(i => (int)Math.Round(i * (count - 1) / (double)(maxSlices - 1))).Distinct().ToArray();
    }

    private static int InitialSlice(int[] slices, Volume<byte>? mask, int axis)
    {
        if (mask is null) return slices.Length / 2;
        var counts = new long[mask.Shape[axis]];
        var shape = mask.Shape;
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                {
                    if (mask.Data[shape.Index(x, y, z)] != 0) counts[axis == 0 ? x : axis == 1 ? y : z]++;
                }
        int best = slices.Length / 2;
        for (int s = 0; s < slices.Length; s++) if (counts[slices[s]] > counts[slices[best]]) best = s;
        return best;
    }

    private static (float Low, float High) Window(float[] values, (double Low, double High) percentiles)
    {
        // A strided sample is plenty for percentiles of an image and keeps this linear in a small constant.
        int stride = Math.Max(1, values.Length / 200_000);
        var sample = new List<float>(values.Length / stride + 1);
        for (int i = 0; i < values.Length; i += stride) if (float.IsFinite(values[i])) sample.Add(values[i]);
        if (sample.Count == 0) return (0, 1);
        sample.Sort();
        float At(double p) => sample[(int)Math.Clamp(Math.Round(p / 100 * (sample.Count - 1)), 0, sample.Count - 1)];
        float low = At(percentiles.Low), high = At(percentiles.High);
        return high > low ? (low, high) : (low, low + 1);
    }

    private static int VoxelIndex(Shape3 shape, Plane plane, int slice, int column, int row)
    {
        Span<int> position = stackalloc int[3];
        position[plane.Axis] = slice;
        position[plane.Across] = column * plane.Step;
        position[plane.Up] = row * plane.Step;
        return shape.Index(position[0], position[1], position[2]);
    }

    // The windowed image slice as uint8, shape [rows, columns].
    private static EncodedTypedArray ImageSlice(Volume<float> image, Plane plane, int slice, float low, float high)
    {
        var pixels = new byte[plane.Rows * plane.Columns];
        float scale = 255f / (high - low);
        for (int row = 0; row < plane.Rows; row++)
            for (int column = 0; column < plane.Columns; column++)
            {
                float value = image.Data[VoxelIndex(image.Shape, plane, slice, column, row)];
                pixels[row * plane.Columns + column] = (byte)Math.Clamp(MathF.Round((value - low) * scale), 0, 255);
            }
        return EncodedTypedArray.ofUInt8Array(pixels, new[] { plane.Rows, plane.Columns });
    }

    // The mask slice cropped to its bounding box plus a zero border (so contours close), as uint8 0/1, with the
    // pixel column and row where the crop starts. An empty slice is a single zero.
    private static (EncodedTypedArray Pixels, int OriginColumn, int OriginRow) MaskSlice(Volume<byte> mask, Plane plane, int slice)
    {
        int minRow = int.MaxValue, maxRow = -1, minColumn = int.MaxValue, maxColumn = -1;
        var inside = new bool[plane.Rows * plane.Columns];
        for (int row = 0; row < plane.Rows; row++)
            for (int column = 0; column < plane.Columns; column++)
            {
                if (mask.Data[VoxelIndex(mask.Shape, plane, slice, column, row)] == 0) continue;
                inside[row * plane.Columns + column] = true;
                minRow = Math.Min(minRow, row); maxRow = Math.Max(maxRow, row);
                minColumn = Math.Min(minColumn, column); maxColumn = Math.Max(maxColumn, column);
            }
        if (maxRow < 0) return (EncodedTypedArray.ofUInt8Array(new byte[1], new[] { 1, 1 }), 0, 0);
        int top = minRow - 1, left = minColumn - 1;
        int height = maxRow - minRow + 3, width = maxColumn - minColumn + 3;
        var cropped = new byte[height * width];
        for (int row = minRow; row <= maxRow; row++)
            for (int column = minColumn; column <= maxColumn; column++)
                cropped[(row - top) * width + (column - left)] = inside[row * plane.Columns + column] ? (byte)1 : (byte)0;
        return (EncodedTypedArray.ofUInt8Array(cropped, new[] { height, width }), left, top);
    }
}
