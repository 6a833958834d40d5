using System.Globalization;
using SasNet.Geometry;
using SasNet.Plots.Figures;

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
/// over it, and a slider that walks through the slices. The image is windowed and stored as 8-bit; masks are
/// cropped per slice to their bounding box, so a whole volume fits in a few hundred kilobytes.
/// </summary>
public static class SliceViewer
{
    /// <summary>
    /// A viewer of <paramref name="image"/> across <paramref name="axis"/> (0 = X, 1 = Y, 2 = Z), starting at the
    /// slice with most label (or the middle one).
    /// </summary>
    public static Figure Create(Volume<float> image, Volume<byte>? label = null, Volume<byte>? prediction = null,
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

        // In-plane axes: the other two, in order; the first runs across (x), the second up (y).
        int across = axis == 0 ? 1 : 0, up = axis == 2 ? 1 : 2;
        int step = Math.Max(1, (int)Math.Ceiling(Math.Max(image.Shape[across], image.Shape[up]) / (double)options.MaxInPlaneSize));
        int columns = (image.Shape[across] + step - 1) / step, rows = (image.Shape[up] + step - 1) / step;
        var slices = ChooseSlices(image.Shape[axis], options.MaxSlices);
        var (low, high) = Window(image.Data, options.WindowPercentiles);

        var masks = new[] { label, prediction };
        var colors = new[] { options.LabelColor, options.PredictionColor };
        var names = new[] { options.Names.Label, options.Names.Prediction };
        var figure = new Figure();
        double dx = step * image.Spacing[across], dy = step * image.Spacing[up];
        figure.Add(new HeatmapTrace
        {
            Name = "image", ColorScale = "Greys", ZMin = 0, ZMax = 255, ShowScale = false,
            X0 = 0, DX = dx, Y0 = 0, DY = dy, HoverTemplate = "%{x:.0f}, %{y:.0f}: %{z}<extra></extra>",
        });
        var overlayTraces = new List<int>();
        for (int m = 0; m < 2; m++)
        {
            if (masks[m] is null) continue;
            overlayTraces.Add(figure.Data.Count);
            figure.Add(options.Overlay == OverlayStyle.Contour
                ? new ContourTrace
                {
                    Name = names[m], ShowLegend = true, ShowScale = false, HoverInfo = "skip", DX = dx, DY = dy,
                    Contours = new ContourLevels { Start = 0.5, End = 0.5, Size = 1, Coloring = "lines", ShowLabels = false },
                    Line = new LineStyle { Color = colors[m], Width = 2 },
                    ColorScale = new object[] { new object[] { 0, colors[m] }, new object[] { 1, colors[m] } },
                }
                : new HeatmapTrace
                {
                    Name = names[m], ShowLegend = true, ShowScale = false, HoverInfo = "skip", DX = dx, DY = dy, ZMin = 0, ZMax = 1,
                    ColorScale = new object[] { new object[] { 0, "rgba(0,0,0,0)" }, new object[] { 1, colors[m] } },
                    Opacity = 0.45,
                });
        }

        int initial = InitialSlice(slices, label ?? prediction, axis);
        var sliderSteps = new List<SliderStep>();
        var traceIndices = Enumerable.Range(0, figure.Data.Count).ToArray();
        for (int s = 0; s < slices.Length; s++)
        {
            var zValues = new List<object> { ImageSlice(image, axis, slices[s], across, up, step, columns, rows, low, high) };
            var x0 = new List<object> { 0.0 };
            var y0 = new List<object> { 0.0 };
            for (int m = 0; m < 2; m++)
            {
                if (masks[m] is not { } mask) continue;
                var (data, originColumn, originRow) = MaskSlice(mask, axis, slices[s], across, up, step, columns, rows);
                zValues.Add(data);
                x0.Add(originColumn * dx);
                y0.Add(originRow * dy);
            }
            var restyle = new Dictionary<string, object> { ["z"] = zValues, ["x0"] = x0, ["y0"] = y0 };
            sliderSteps.Add(new SliderStep
            {
                Label = slices[s].ToString(CultureInfo.InvariantCulture),
                Method = "restyle",
                Args = [restyle, traceIndices],
            });
            if (s == initial)
            {
                for (int t = 0; t < figure.Data.Count; t++)
                {
                    var z = (DataArray)zValues[t];
                    switch (figure.Data[t])
                    {
                        case HeatmapTrace heatmap: heatmap.Z = z; heatmap.X0 = (double)x0[t]; heatmap.Y0 = (double)y0[t]; break;
                        case ContourTrace contour: contour.Z = z; contour.X0 = (double)x0[t]; contour.Y0 = (double)y0[t]; break;
                    }
                }
            }
        }

        var axisNames = new[] { "X", "Y", "Z" };
        figure.Layout = new Layout
        {
            Title = options.Title ?? $"{axisNames[axis]} slices of {image.Shape}",
            Height = options.Height,
            Margin = new Margin { Left = 50, Right = 20, Top = 80, Bottom = 40 },
            XAxis = new Axis { Title = $"{axisNames[across]}", ShowGrid = false, ZeroLine = false, Constrain = "domain" },
            YAxis = new Axis { Title = $"{axisNames[up]}", ShowGrid = false, ZeroLine = false, ScaleAnchor = "x", ScaleRatio = 1, Constrain = "domain" },
            Legend = new Legend { Orientation = "h", X = 0, Y = 1.08 },
            Sliders =
            [
                new Slider
                {
                    Active = initial,
                    Steps = sliderSteps,
                    CurrentValue = new SliderCurrentValue { Prefix = $"{axisNames[axis]} = " },
                    Pad = new Margin { Top = 55 },
                },
            ],
        };
        return figure;
    }

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

    private static int VoxelIndex(Shape3 shape, int axis, int slice, int across, int up, int column, int row)
    {
        Span<int> position = stackalloc int[3];
        position[axis] = slice;
        position[across] = column;
        position[up] = row;
        return shape.Index(position[0], position[1], position[2]);
    }

    private static DataArray ImageSlice(Volume<float> image, int axis, int slice, int across, int up, int step,
        int columns, int rows, float low, float high)
    {
        var pixels = new byte[rows * columns];
        float scale = 255f / (high - low);
        for (int row = 0; row < rows; row++)
        for (int column = 0; column < columns; column++)
        {
            float value = image.Data[VoxelIndex(image.Shape, axis, slice, across, up, column * step, row * step)];
            pixels[row * columns + column] = (byte)Math.Clamp(MathF.Round((value - low) * scale), 0, 255);
        }
        return DataArray.UInt8(pixels, rows, columns);
    }

    private static (DataArray Data, int OriginColumn, int OriginRow) MaskSlice(Volume<byte> mask, int axis, int slice,
        int across, int up, int step, int columns, int rows)
    {
        var full = new byte[rows * columns];
        int minRow = int.MaxValue, maxRow = -1, minColumn = int.MaxValue, maxColumn = -1;
        for (int row = 0; row < rows; row++)
        for (int column = 0; column < columns; column++)
        {
            if (mask.Data[VoxelIndex(mask.Shape, axis, slice, across, up, column * step, row * step)] == 0) continue;
            full[row * columns + column] = 1;
            minRow = Math.Min(minRow, row); maxRow = Math.Max(maxRow, row);
            minColumn = Math.Min(minColumn, column); maxColumn = Math.Max(maxColumn, column);
        }
        // Empty slice: a single transparent zero. Otherwise the bounding box plus a zero border so contours close.
        if (maxRow < 0) return (DataArray.UInt8(new byte[1], 1, 1), 0, 0);
        int top = minRow - 1, left = minColumn - 1;
        int height = maxRow - minRow + 3, width = maxColumn - minColumn + 3;
        var cropped = new byte[height * width];
        for (int row = minRow; row <= maxRow; row++)
        for (int column = minColumn; column <= maxColumn; column++)
            cropped[(row - top) * width + (column - left)] = full[row * columns + column];
        return (DataArray.UInt8(cropped, height, width), left, top);
    }
}
