using System.Globalization;
using System.Text;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Plotly.NET.TraceObjects;
using SasNet.Geometry;
using SasNet.Plots.Meshes;
using Chart = Plotly.NET.CSharp.Chart;

namespace SasNet.Plots.Builders;

/// <summary>How the two surfaces share the figure.</summary>
public enum SurfaceArrangement
{
    /// <summary>Both in one 3D scene, the prediction over a translucent ground truth.</summary>
    Overlay,

    /// <summary>Two scenes side by side.</summary>
    SideBySide,
}

/// <summary>Settings of <see cref="SurfaceComparison.Create"/>.</summary>
public sealed record SurfaceComparisonOptions
{
    /// <summary>Figure title.</summary>
    public string? Title { get; init; }

    /// <summary>Overlay or side by side.</summary>
    public SurfaceArrangement Arrangement { get; init; } = SurfaceArrangement.Overlay;

    /// <summary>
    /// Byte budget for the chart's JSON (data, layout and config as Plotly.NET writes them): the surfaces are
    /// simplified until the chart fits. The default keeps a figure under 2 MB.
    /// </summary>
    public int MaxFigureBytes { get; init; } = 1_800_000;

    /// <summary>Taubin smoothing passes.</summary>
    public int SmoothingIterations { get; init; } = 6;

    /// <summary>Colour of the ground-truth surface.</summary>
    public string LabelColor { get; init; } = "#2ca02c";

    /// <summary>Colour of the predicted surface.</summary>
    public string PredictionColor { get; init; } = "#d62728";

    /// <summary>Opacity of the ground truth (prediction) surface.</summary>
    public (double Label, double Prediction) Opacity { get; init; } = (0.35, 0.75);

    /// <summary>Legend names.</summary>
    public (string Label, string Prediction) Names { get; init; } = ("ground truth", "prediction");

    /// <summary>Figure height in pixels.</summary>
    public int Height { get; init; } = 600;
}

/// <summary>
/// 3D renderings of a ground-truth mask against a predicted one, as plotly mesh3d surfaces extracted by
/// <see cref="MaskSurface"/>. Vertex coordinates are float32 and triangle indices 16- or 32-bit typed arrays; the
/// surfaces are simplified (by downsampling the masks) until the chart's JSON fits <see cref="SurfaceComparisonOptions.MaxFigureBytes"/>.
/// </summary>
public static class SurfaceComparison
{
    // Typed arrays cost about 24 bytes of JSON per triangle: ~half a vertex (3 × f4) plus three indices, base64.
    private const int BytesPerTriangleEstimate = 24;
    private const int MinTrianglesPerSurface = 500;

    /// <summary>
    /// Surfaces of <paramref name="label"/> and <paramref name="prediction"/> (either may be null, not both), each a
    /// mesh3d trace in physical coordinates (voxel index × spacing). Overlaid, they share one scene, the ground truth
    /// translucent; side by side, each has a scene of its own, both showing the whole volume box at the same scale
    /// and from the same camera. A note at the bottom gives each surface's triangle count and downsampling.
    /// </summary>
    /// <param name="label">Ground-truth mask, shape (X, Y, Z), non-zero = inside.</param>
    /// <param name="prediction">Predicted mask of the same shape.</param>
    /// <param name="options">Arrangement, size budget, smoothing, colours.</param>
    public static GenericChart Create(Volume<byte>? label, Volume<byte>? prediction, SurfaceComparisonOptions? options = null)
    {
        options ??= new SurfaceComparisonOptions();
        var masks = new[] { label, prediction }.Where(m => m is not null).ToList();
        if (masks.Count == 0) throw new ArgumentException("give at least one mask");
        if (label is not null && prediction is not null && label.Shape != prediction.Shape)
            throw new ArgumentException($"label shape {label.Shape} differs from prediction shape {prediction.Shape}");

        int trianglesPerSurface = Math.Max(MinTrianglesPerSurface, options.MaxFigureBytes / BytesPerTriangleEstimate / masks.Count);
        while (true)
        {
            var chart = Build(label, prediction, options, trianglesPerSurface);
            long bytes = JsonBytes(chart);
            // Below 500 triangles a surface is no longer worth looking at: that is returned even if over budget.
            if (bytes <= options.MaxFigureBytes || trianglesPerSurface <= MinTrianglesPerSurface) return chart;
            // Over budget (the estimate was off for this shape): shrink the triangle budget in proportion, with a margin.
            trianglesPerSurface = Math.Max(MinTrianglesPerSurface, (int)(trianglesPerSurface * 0.9 * options.MaxFigureBytes / bytes));
        }
    }

    /// <summary>Size in bytes of the chart as Plotly.NET writes it (data, layout and config, UTF-8).</summary>
    public static long JsonBytes(GenericChart chart) => Encoding.UTF8.GetByteCount(GenericChart.toJson(chart));

    /// <summary>
    /// One mesh3d trace of <paramref name="mesh"/> in one colour with soft lighting, in scene <paramref name="scene"/>
    /// (1 = "scene"). Hovering shows the trace name only.
    /// </summary>
    public static GenericChart Mesh(TriangleMesh mesh, string name, string color, double opacity, int scene = 1)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        bool shortIndices = mesh.VertexCount <= ushort.MaxValue;
        EncodedTypedArray Corners(int corner) => shortIndices
            ? EncodedTypedArray.ofUInt16Array(mesh.Corners(corner).Select(v => (ushort)v).ToArray(), null)
            : EncodedTypedArray.ofInt32Array(mesh.Corners(corner), null);
        var lighting = new Lighting().With("ambient", 0.45).With("diffuse", 0.8).With("specular", 0.15).With("roughness", 0.6);
        // The C# Mesh3D takes vertices as number lists; the typed arrays replace them (about half the JSON).
        return Chart.Mesh3D<float, float, float, int, int, int, string>(
                x: [], y: [], z: [], Name: name, ShowLegend: true, Opacity: opacity, Color: Color.fromString(color),
                FlatShading: false, UseDefaults: false)
            .WithTraceAttributes(
                ("x", EncodedTypedArray.ofFloat32Array(mesh.Coordinates(0), null)),
                ("y", EncodedTypedArray.ofFloat32Array(mesh.Coordinates(1), null)),
                ("z", EncodedTypedArray.ofFloat32Array(mesh.Coordinates(2), null)),
                ("i", Corners(0)), ("j", Corners(1)), ("k", Corners(2)),
                ("lighting", lighting), ("hoverinfo", "name"), ("scene", scene == 1 ? "scene" : $"scene{scene}"));
    }

    private static GenericChart Build(Volume<byte>? label, Volume<byte>? prediction, SurfaceComparisonOptions options, int trianglesPerSurface)
    {
        var surfaceOptions = new MaskSurfaceOptions { MaxTriangles = trianglesPerSurface, SmoothingIterations = options.SmoothingIterations };
        bool sideBySide = options.Arrangement == SurfaceArrangement.SideBySide && label is not null && prediction is not null;
        var inputs = new[]
        {
            (Mask: label, Color: options.LabelColor, Opacity: options.Opacity.Label, Name: options.Names.Label),
            (Mask: prediction, Color: options.PredictionColor, Opacity: options.Opacity.Prediction, Name: options.Names.Prediction),
        };
        var surfaces = new List<GenericChart>();
        var notes = new List<string>();
        foreach (var (mask, color, opacity, name) in inputs)
        {
            if (mask is null) continue;
            var surface = MaskSurface.Extract(mask, surfaceOptions);
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {surface.Mesh.TriangleCount:N0} triangles")
                      + (surface.DownsampleFactor > 1 ? $" (×{surface.DownsampleFactor} downsampled)" : ""));
            // Side by side, each surface is alone in its scene and drawn opaque.
            surfaces.Add(Mesh(surface.Mesh, name, color, sideBySide ? 1.0 : opacity, sideBySide ? surfaces.Count + 1 : 1));
        }

        var layout = new Layout()
            .With("title", LayoutParts.Title(options.Title ?? "Ground truth vs prediction"))
            .With("height", options.Height)
            .With("margin", LayoutParts.Margins(0, 0, 50, 0))
            .With("showlegend", true)
            .With("annotations", new[] { LayoutParts.Note(string.Join(" · ", notes)) });
        var chart = Plotly.NET.Chart.withLayout(layout).Invoke(Chart.Combine(surfaces));
        var extent = (label ?? prediction)!;
        chart = Plotly.NET.Chart.withScene(Scene(extent, sideBySide ? (0, 0.5) : (0, 1)), 1).Invoke(chart);
        if (sideBySide) chart = Plotly.NET.Chart.withScene(Scene(extent, (0.5, 1)), 2).Invoke(chart);
        chart = Plotly.NET.Chart.withLegend(LayoutParts.Legend(StyleParam.Orientation.Horizontal, 0, 1.0), null).Invoke(chart);
        return Plotly.NET.Chart.withConfig(LayoutParts.Interactive()).Invoke(chart);
    }

    // A scene showing the whole volume box: axes span the voxel centres ± half a voxel, in physical units.
    private static Scene Scene(Volume<byte> extent, (double From, double To) horizontalDomain)
    {
        LinearAxis AxisFor(int axis, string title) => LayoutParts.Axis(title: title, showGrid: true,
            range: (-0.5 * extent.Spacing[axis], (extent.Shape[axis] - 0.5) * extent.Spacing[axis]));
        // Proportions from the volume's physical size, not from each scene's data: side-by-side scenes then draw the
        // same box at the same scale even when one mask is much smaller than the other.
        double[] lengths = [extent.Shape.X * extent.Spacing.X, extent.Shape.Y * extent.Spacing.Y, extent.Shape.Z * extent.Spacing.Z];
        double longest = lengths.Max();
        return new Scene()
            .With("xaxis", AxisFor(0, "X")).With("yaxis", AxisFor(1, "Y")).With("zaxis", AxisFor(2, "Z"))
            .With("aspectmode", StyleParam.AspectMode.Manual.ToString())
            .With("aspectratio", new AspectRatio().With("x", lengths[0] / longest).With("y", lengths[1] / longest).With("z", lengths[2] / longest))
            .With("domain", new Domain().With("x", new[] { horizontalDomain.From, horizontalDomain.To }).With("y", new[] { 0.0, 1.0 }))
            .With("camera", new Camera()
                .With("eye", new CameraEye().With("x", 1.5).With("y", 1.3).With("z", 0.9))
                .With("projection", new CameraProjection().With("type", StyleParam.CameraProjectionType.Perspective.ToString())));
    }
}
