using SasNet.Geometry;

namespace SasNet.Plots.Meshes;

/// <summary>Settings of <see cref="MaskSurface.Extract"/>.</summary>
public sealed record MaskSurfaceOptions
{
    /// <summary>The largest number of triangles; the mask is downsampled until the surface fits.</summary>
    public int MaxTriangles { get; init; } = 40_000;

    /// <summary>Taubin smoothing passes on the mesh (0: none). Shrink-free, so volumes stay comparable.</summary>
    public int SmoothingIterations { get; init; } = 6;

    /// <summary>A fixed downsampling factor (≥ 1) instead of the automatic choice.</summary>
    public int? Downsample { get; init; }
}

/// <summary>
/// Turns a binary mask (label or prediction) into a smooth closed surface in physical coordinates:
/// block-average downsampling (which also sets the triangle budget), a 3×3×3 box blur so the iso-surface is
/// not a staircase, marching tetrahedra at 0.5, then Taubin smoothing.
/// </summary>
public static class MaskSurface
{
    /// <summary>The surface of the voxels of <paramref name="mask"/> that are non-zero.</summary>
    public static SurfaceResult Extract(Volume<byte> mask, MaskSurfaceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mask);
        options ??= new MaskSurfaceOptions();
        if (!mask.Data.AsSpan().ContainsAnyExcept((byte)0)) return new SurfaceResult(TriangleMesh.Empty, 1);
        int factor = Math.Max(1, options.Downsample ?? 1);
        while (true)
        {
            var field = Blur(Downsample(mask, factor));
            var mesh = MarchingTetrahedra.Extract(field, 0.5f);
            bool fits = mesh.TriangleCount <= options.MaxTriangles || options.Downsample is not null
                        || factor >= Math.Max(mask.Shape.X, Math.Max(mask.Shape.Y, mask.Shape.Z));
            if (fits)
            {
                mesh = MeshSmoothing.Taubin(mesh, options.SmoothingIterations);
                ToPhysical(mesh, factor, mask.Spacing);
                return new SurfaceResult(mesh, factor);
            }
            // Triangle count falls with the square of the factor.
            factor = Math.Max(factor + 1, (int)Math.Ceiling(factor * Math.Sqrt((double)mesh.TriangleCount / options.MaxTriangles)));
        }
    }

    /// <summary>Fraction of non-zero voxels in each factor³ block.</summary>
    public static Volume<float> Downsample(Volume<byte> mask, int factor)
    {
        var source = mask.Shape;
        var shape = new Shape3((source.X + factor - 1) / factor, (source.Y + factor - 1) / factor, (source.Z + factor - 1) / factor);
        var sums = new float[shape.Count];
        var counts = new int[shape.Count];
        for (int x = 0; x < source.X; x++)
            for (int y = 0; y < source.Y; y++)
            {
                int row = source.Index(x, y, 0);
                for (int z = 0; z < source.Z; z++)
                {
                    int target = shape.Index(x / factor, y / factor, z / factor);
                    counts[target]++;
                    if (mask.Data[row + z] != 0) sums[target]++;
                }
            }
        for (int i = 0; i < sums.Length; i++) sums[i] /= counts[i];
        return new Volume<float>(shape, sums);
    }

    /// <summary>Separable 3-tap box blur along each axis (borders use the available neighbours).</summary>
    public static Volume<float> Blur(Volume<float> field)
    {
        var current = field.Data;
        var shape = field.Shape;
        for (int axis = 0; axis < 3; axis++)
        {
            var next = new float[current.Length];
            int stride = axis == 0 ? shape.Y * shape.Z : axis == 1 ? shape.Z : 1;
            int length = shape[axis];
            for (int i = 0; i < current.Length; i++)
            {
                int position = i / stride % length;
                float sum = current[i];
                int count = 1;
                if (position > 0) { sum += current[i - stride]; count++; }
                if (position + 1 < length) { sum += current[i + stride]; count++; }
                next[i] = sum / count;
            }
            current = next;
        }
        return new Volume<float>(shape, current, field.Spacing);
    }

    private static void ToPhysical(TriangleMesh mesh, int factor, Spacing3 spacing)
    {
        // A downsampled voxel covers original voxels factor·i … factor·i + factor − 1; map to its centre.
        float offset = (factor - 1) / 2f;
        for (int v = 0; v < mesh.VertexCount; v++)
            for (int axis = 0; axis < 3; axis++)
                mesh.Positions[3 * v + axis] = (float)((mesh.Positions[3 * v + axis] * factor + offset) * spacing[axis]);
    }
}

/// <summary>A surface and the downsampling factor that produced it.</summary>
/// <param name="Mesh">The mesh in physical coordinates (voxel index × spacing).</param>
/// <param name="DownsampleFactor">1 = full resolution.</param>
public sealed record SurfaceResult(TriangleMesh Mesh, int DownsampleFactor);
