using SasNet.Geometry;
using SasNet.Plots.Figures;

namespace SasNet.Plots.Builders;

/// <summary>
/// One panel of a <see cref="SlicePanels.Grid"/>: a 2D slice as a heatmap, optionally with a mask drawn over it in
/// translucent red (<see cref="Overlay"/>) and a mask outlined in green (<see cref="Outline"/>, contour at 0.5).
/// Arrays are [row, column] = [y, x], as <see cref="SlicePanels.SliceZ{T}"/> returns them.
/// </summary>
/// <param name="Title">Axis title under the panel.</param>
/// <param name="Values">The slice.</param>
/// <param name="ColorScale">A plotly colour scale (e.g. <see cref="SlicePanels.GreyScale"/> or "RdBu").</param>
/// <param name="ZMin">Lower end of the colour range (automatic when null).</param>
/// <param name="ZMax">Upper end of the colour range (automatic when null).</param>
/// <param name="Outline">A 0/1 mask outlined in green.</param>
/// <param name="Overlay">A 0/1 mask filled in translucent red.</param>
public sealed record SlicePanel(string Title, float[,] Values, object ColorScale, double? ZMin = null, double? ZMax = null,
    float[,]? Outline = null, float[,]? Overlay = null);

/// <summary>Small multiples of 2D slices (the paper's Fig. 5 pipeline, Fig. 6 predictions, Fig. 8 feature maps).</summary>
public static class SlicePanels
{
    /// <summary>Black-to-white colour scale for images.</summary>
    public static object GreyScale { get; } = new object[] { new object[] { 0, "#000000" }, new object[] { 1, "#ffffff" } };

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

    /// <summary>Lays the panels out in a grid of <paramref name="columns"/> columns, each panel with equal axis scales.</summary>
    public static Figure Grid(string title, IReadOnlyList<SlicePanel> panels, int columns, int panelHeight = 260)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("a grid needs at least one panel", nameof(panels));
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        int rows = (panels.Count + columns - 1) / columns;
        var figure = new Figure();
        for (int i = 0; i < panels.Count; i++)
        {
            var p = panels[i];
            int h = p.Values.GetLength(0), w = p.Values.GetLength(1);
            string suffix = i == 0 ? "" : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            figure.Add(new HeatmapTrace
            {
                Name = p.Title, Z = DataArray.Float32(p.Values.Cast<float>().ToArray(), h, w), ColorScale = p.ColorScale,
                ZMin = p.ZMin, ZMax = p.ZMax, ShowScale = false, XAxis = "x" + suffix, YAxis = "y" + suffix,
            });
            if (p.Overlay is { } overlay)
                figure.Add(new HeatmapTrace
                {
                    Name = "overlay", Z = DataArray.Float32(overlay.Cast<float>().ToArray(), h, w), ShowScale = false, HoverInfo = "skip", ZMin = 0, ZMax = 1,
                    ColorScale = new object[] { new object[] { 0, "rgba(0,0,0,0)" }, new object[] { 1, "#d62728" } }, Opacity = 0.55,
                    XAxis = "x" + suffix, YAxis = "y" + suffix,
                });
            if (p.Outline is { } outline)
                figure.Add(new ContourTrace
                {
                    Name = "outline", Z = DataArray.Float32(outline.Cast<float>().ToArray(), h, w), ShowScale = false, ShowLegend = false, HoverInfo = "skip",
                    Contours = new ContourLevels { Start = 0.5, End = 0.5, Size = 1, Coloring = "lines", ShowLabels = false },
                    Line = new LineStyle { Color = "#2ca02c", Width = 2 },
                    ColorScale = new object[] { new object[] { 0, "#2ca02c" }, new object[] { 1, "#2ca02c" } },
                    XAxis = "x" + suffix, YAxis = "y" + suffix,
                });
        }
        var layout = new Layout
        {
            Title = title, Height = 70 + panelHeight * rows, ShowLegend = false,
            Margin = new Margin { Left = 10, Right = 10, Top = 60, Bottom = 30 },
            Grid = new Grid { Rows = rows, Columns = columns, Pattern = "independent", RowOrder = "top to bottom" },
        };
        for (int i = 0; i < panels.Count; i++)
        {
            var x = layout.XAxisAt(i + 1);
            x.Title = panels[i].Title; x.ShowTickLabels = false; x.ShowGrid = false; x.ZeroLine = false; x.Constrain = "domain";
            var y = layout.YAxisAt(i + 1);
            y.ShowTickLabels = false; y.ShowGrid = false; y.ZeroLine = false; y.Constrain = "domain";
            y.ScaleAnchor = "x" + (i == 0 ? "" : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        figure.Layout = layout;
        return figure;
    }
}
