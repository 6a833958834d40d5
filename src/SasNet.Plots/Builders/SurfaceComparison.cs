using SasNet.Geometry;
using SasNet.Plots.Figures;
using SasNet.Plots.Meshes;

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
    /// Byte budget for the figure's data; the triangle budget per surface follows from it (about 24 bytes per
    /// triangle once base64-encoded). The default keeps a figure's HTML under 2 MB.
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

/// <summary>3D renderings of a ground-truth mask against a predicted one, as plotly mesh3d surfaces.</summary>
public static class SurfaceComparison
{
    private const int BytesPerTriangle = 24; // ~half a vertex (3×f4) + one triangle (3×i4), base64

    /// <summary>Surfaces of <paramref name="label"/> and <paramref name="prediction"/> (either may be null).</summary>
    public static Figure Create(Volume<byte>? label, Volume<byte>? prediction, SurfaceComparisonOptions? options = null)
    {
        options ??= new SurfaceComparisonOptions();
        var masks = new[] { label, prediction }.Where(m => m is not null).ToList();
        if (masks.Count == 0) throw new ArgumentException("give at least one mask");
        int trianglesPerSurface = Math.Max(500, options.MaxFigureBytes / BytesPerTriangle / masks.Count);
        var surfaceOptions = new MaskSurfaceOptions { MaxTriangles = trianglesPerSurface, SmoothingIterations = options.SmoothingIterations };

        var figure = new Figure();
        bool sideBySide = options.Arrangement == SurfaceArrangement.SideBySide && label is not null && prediction is not null;
        var inputs = new[] { (label, options.LabelColor, options.Opacity.Label, options.Names.Label),
                             (prediction, options.PredictionColor, options.Opacity.Prediction, options.Names.Prediction) };
        int sceneNumber = 0;
        var notes = new List<string>();
        foreach (var (mask, color, opacity, name) in inputs)
        {
            if (mask is null) continue;
            sceneNumber++;
            var surface = MaskSurface.Extract(mask, surfaceOptions);
            notes.Add($"{name}: {surface.Mesh.TriangleCount:N0} triangles" + (surface.DownsampleFactor > 1 ? $" (×{surface.DownsampleFactor} downsampled)" : ""));
            figure.Add(ToTrace(surface.Mesh, name, color, sideBySide ? 1.0 : opacity, sideBySide && sceneNumber == 2 ? "scene2" : null));
        }

        var layout = new Layout
        {
            Title = options.Title ?? "Ground truth vs prediction",
            Height = options.Height,
            Margin = new Margin { Left = 0, Right = 0, Top = 50, Bottom = 0 },
            Legend = new Legend { Orientation = "h", X = 0, Y = 1.0 },
            ShowLegend = true,
            Annotations = [new Annotation { Text = string.Join(" · ", notes), X = 0, Y = 0, XRef = "paper", YRef = "paper", ShowArrow = false, Font = new FontStyle { Size = 11, Color = "#666" } }],
        };
        var extent = (label ?? prediction)!;
        ConfigureScene(layout.SceneAt(1), extent, sideBySide ? [0, 0.5] : [0, 1]);
        if (sideBySide) ConfigureScene(layout.SceneAt(2), extent, [0.5, 1]);
        figure.Layout = layout;
        return figure;
    }

    /// <summary>A mesh3d trace for <paramref name="mesh"/> (indices as 16-bit when the mesh is small enough).</summary>
    public static Mesh3dTrace ToTrace(TriangleMesh mesh, string name, string color, double opacity, string? scene = null)
    {
        var trace = new Mesh3dTrace
        {
            Name = name, ShowLegend = true, Color = color, Opacity = opacity, Scene = scene, FlatShading = false,
            HoverInfo = "name",
            Lighting = new MeshLighting { Ambient = 0.45, Diffuse = 0.8, Specular = 0.15, Roughness = 0.6 },
            X = DataArray.Float32(mesh.Coordinates(0)),
            Y = DataArray.Float32(mesh.Coordinates(1)),
            Z = DataArray.Float32(mesh.Coordinates(2)),
        };
        if (mesh.VertexCount <= ushort.MaxValue)
        {
            trace.I = DataArray.UInt16(mesh.Corners(0).Select(v => (ushort)v).ToArray());
            trace.J = DataArray.UInt16(mesh.Corners(1).Select(v => (ushort)v).ToArray());
            trace.K = DataArray.UInt16(mesh.Corners(2).Select(v => (ushort)v).ToArray());
        }
        else
        {
            trace.I = DataArray.Int32(mesh.Corners(0));
            trace.J = DataArray.Int32(mesh.Corners(1));
            trace.K = DataArray.Int32(mesh.Corners(2));
        }
        return trace;
    }

    private static void ConfigureScene(Scene scene, Volume<byte> extent, double[] horizontalDomain)
    {
        Axis AxisFor(int axis, string title) => new()
        {
            Title = title,
            Range = [-0.5 * extent.Spacing[axis], (extent.Shape[axis] - 0.5) * extent.Spacing[axis]],
            ShowGrid = true,
        };
        scene.XAxis = AxisFor(0, "X");
        scene.YAxis = AxisFor(1, "Y");
        scene.ZAxis = AxisFor(2, "Z");
        // Proportions from the volume's physical size, not from each scene's data: side-by-side scenes then draw the
        // same box at the same scale even when one mask is much smaller than the other.
        double[] lengths = [extent.Shape.X * extent.Spacing.X, extent.Shape.Y * extent.Spacing.Y, extent.Shape.Z * extent.Spacing.Z];
        double longest = lengths.Max();
        scene.AspectMode = "manual";
        scene.AspectRatio = new Vector3(lengths[0] / longest, lengths[1] / longest, lengths[2] / longest);
        scene.Domain = new Domain { X = horizontalDomain, Y = [0, 1] };
        scene.Camera = new Camera { Eye = new Vector3(1.5, 1.3, 0.9) };
    }
}
