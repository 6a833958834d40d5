using System.Globalization;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using SasNet.Geometry;
using Chart = Plotly.NET.CSharp.Chart;

namespace SasNet.Plots.Builders;

/// <summary>
/// One panel of a <see cref="SlicePanels.Grid"/>: a 2D slice as a heatmap, optionally with a mask drawn over it in
/// translucent red (<see cref="Overlay"/>) and a mask outlined in green (<see cref="Outline"/>, contour at 0.5).
/// Arrays are [row, column] = [y, x], as <see cref="SlicePanels.SliceZ{T}"/> returns them.
/// </summary>
/// <param name="Title">Axis title under the panel.</param>
/// <param name="Values">The slice.</param>
/// <param name="ColorScale">The colour scale, e.g. <see cref="SlicePanels.GreyScale"/> or <c>StyleParam.Colorscale.RdBu</c>.</param>
/// <param name="ZMin">Lower end of the colour range (automatic when null).</param>
/// <param name="ZMax">Upper end of the colour range (automatic when null).</param>
/// <param name="Outline">A 0/1 mask outlined in green.</param>
/// <param name="Overlay">A 0/1 mask filled in translucent red.</param>
public sealed record SlicePanel(string Title, float[,] Values, StyleParam.Colorscale ColorScale, double? ZMin = null, double? ZMax = null,
    float[,]? Outline = null, float[,]? Overlay = null);

/// <summary>Small multiples of 2D slices (the paper's Fig. 5 pipeline, Fig. 6 predictions, Fig. 8 feature maps).</summary>
public static class SlicePanels
{
    /// <summary>Black-to-white colour scale for images.</summary>
    public static StyleParam.Colorscale GreyScale { get; } = TwoColours("#000000", "#ffffff");

    /// <summary>Slice <paramref name="z"/> of a volume as [y, x] (x across, y up), each voxel mapped by <paramref name="value"/>.</summary>
    public static float[,] SliceZ<T>(Volume<T> volume, int z, Func<T, float> value) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        var s = volume.Shape;
        if ((uint)z >= (uint)s.Z) throw new ArgumentOutOfRangeException(nameof(z), z, $"the volume has {s.Z} slices along Z");
        var slice = new float[s.Y, s.X];
        for (int x = 0; x < s.X; x++)
            for (int y = 0; y < s.Y; y++)
                slice[y, x] = value(volume[x, y, z]);
        return slice;
    }

    /// <summary>The Z index where <paramref name="mask"/> has the most foreground voxels (the first on ties).</summary>
    public static int BusiestSlice(Volume<byte> mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var s = mask.Shape;
        var counts = new int[s.Z];
        for (int x = 0; x < s.X; x++)
            for (int y = 0; y < s.Y; y++)
                for (int z = 0; z < s.Z; z++)
                    if (mask[x, y, z] != 0) counts[z]++;
        return Array.IndexOf(counts, counts.Max());
    }

    /// <summary>
    /// Lays the panels out in a grid of <paramref name="columns"/> columns, row by row from the top, each panel on its
    /// own axes at equal x and y scale, titled underneath, without tick labels or colour bars. A panel is a heatmap of
    /// its values (float32 typed array), then its overlay as a translucent red heatmap and its outline as a green
    /// contour at 0.5.
    /// </summary>
    /// <param name="title">Figure title.</param>
    /// <param name="panels">The panels, arrays [rows, columns] = [y, x].</param>
    /// <param name="columns">Panels per row.</param>
    /// <param name="panelHeight">Height of one row of panels in pixels.</param>
    public static GenericChart Grid(string title, IReadOnlyList<SlicePanel> panels, int columns, int panelHeight = 260)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("a grid needs at least one panel", nameof(panels));
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        int rows = (panels.Count + columns - 1) / columns;
        var chart = Chart.Grid(panels.Select(PanelChart), rows, columns,
            Pattern: StyleParam.LayoutGridPattern.Independent, RowOrder: StyleParam.LayoutGridRowOrder.TopToBottom);
        for (int i = 1; i <= panels.Count; i++)
        {
            var xAxis = LayoutParts.Axis(title: panels[i - 1].Title, showTickLabels: false, showGrid: false, zeroLine: false,
                constrain: StyleParam.AxisConstraint.Domain);
            // Equal scales within each panel: pixels are square.
            var yAxis = LayoutParts.Axis(showTickLabels: false, showGrid: false, zeroLine: false,
                constrain: StyleParam.AxisConstraint.Domain, scaleAnchor: i == 1 ? "x" : $"x{i}");
            chart = Plotly.NET.Chart.withXAxis(xAxis, StyleParam.SubPlotId.NewXAxis(i)).Invoke(chart);
            chart = Plotly.NET.Chart.withYAxis(yAxis, StyleParam.SubPlotId.NewYAxis(i)).Invoke(chart);
        }
        var layout = new Layout()
            .With("title", LayoutParts.Title(title))
            .With("height", 70 + panelHeight * rows)
            .With("showlegend", false)
            .With("margin", LayoutParts.Margins(10, 10, 60, 30));
        chart = Plotly.NET.Chart.withLayout(layout).Invoke(chart);
        return Plotly.NET.Chart.withConfig(LayoutParts.Interactive()).Invoke(chart);
    }

    private static GenericChart PanelChart(SlicePanel panel)
    {
        int rows = panel.Values.GetLength(0), columns = panel.Values.GetLength(1);
        var traces = new List<GenericChart>();
        var image = Chart.Heatmap<string>(zEncoded: Float32(panel.Values), Name: panel.Title, ShowScale: false,
            ColorScale: panel.ColorScale, UseDefaults: false);
        if (panel.ZMin is double zMin) image = image.WithTraceAttributes(("zmin", zMin));
        if (panel.ZMax is double zMax) image = image.WithTraceAttributes(("zmax", zMax));
        traces.Add(image);
        if (panel.Overlay is { } overlay)
        {
            CheckShape(overlay, rows, columns, panel.Title, "overlay");
            traces.Add(Chart.Heatmap<string>(zEncoded: Float32(overlay), Name: "overlay", ShowScale: false, Opacity: 0.55,
                    ColorScale: TwoColours("rgba(0,0,0,0)", OverlayColor), UseDefaults: false)
                .WithTraceAttributes(("zmin", 0), ("zmax", 1), ("hoverinfo", "skip")));
        }
        if (panel.Outline is { } outline)
        {
            CheckShape(outline, rows, columns, panel.Title, "outline");
            // z and line are set after creation: the C# Contour takes nested lists only and writes a zero line width.
            traces.Add(Chart.Contour<byte, double, double, string>(zData: [[0]], Name: "outline", ShowLegend: false,
                    ShowScale: false, ColorScale: TwoColours(OutlineColor, OutlineColor),
                    Contours: LayoutParts.MaskOutlineLevel(),
                    UseDefaults: false)
                .WithTraceAttributes(("z", Float32(outline)), ("line", LayoutParts.Line(OutlineColor, 2)), ("hoverinfo", "skip")));
        }
        return Chart.Combine(traces);
    }

    private const string OverlayColor = "#d62728";
    private const string OutlineColor = "#2ca02c";

    private static StyleParam.Colorscale TwoColours(string zero, string one) =>
        StyleParam.Colorscale.NewCustom([Tuple.Create(0.0, Color.fromString(zero)), Tuple.Create(1.0, Color.fromString(one))]);

    private static EncodedTypedArray Float32(float[,] values)
    {
        var flat = new float[values.Length];
        Buffer.BlockCopy(values, 0, flat, 0, values.Length * sizeof(float));
        return EncodedTypedArray.ofFloat32Array(flat, new[] { values.GetLength(0), values.GetLength(1) });
    }

    private static void CheckShape(float[,] mask, int rows, int columns, string panel, string what)
    {
        if (mask.GetLength(0) != rows || mask.GetLength(1) != columns)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"panel '{panel}': {what} is {mask.GetLength(0)}×{mask.GetLength(1)}, values are {rows}×{columns}"));
    }
}
