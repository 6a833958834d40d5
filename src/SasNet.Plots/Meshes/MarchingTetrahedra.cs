using SasNet.Geometry;

namespace SasNet.Plots.Meshes;

/// <summary>
/// Iso-surface extraction by marching tetrahedra: every grid cube is split into six tetrahedra along its main
/// diagonal (the same split in every cube, so neighbouring faces match and the surface is closed), and each
/// tetrahedron contributes zero, one or two triangles. Unlike marching cubes this needs no case table and has no
/// ambiguous cases. Vertices on shared edges are welded; triangles face away from the inside (value &gt; iso).
/// </summary>
public static class MarchingTetrahedra
{
    // Corner c of a cube sits at offset (c >> 2 & 1, c >> 1 & 1, c & 1) in (x, y, z).
    // The six tetrahedra 0 → e_a → e_a + e_b → 7 for the six orders (a, b) of the axes.
    private static readonly int[][] Tetrahedra =
    [
        [0, 4, 6, 7], [0, 4, 5, 7], [0, 2, 6, 7], [0, 2, 3, 7], [0, 1, 5, 7], [0, 1, 3, 7],
    ];

    /// <summary>
    /// The surface where <paramref name="field"/> crosses <paramref name="iso"/>. Vertex coordinates are in grid
    /// units (voxel indices along X, Y, Z). The field is treated as below iso outside the grid, so surfaces touching
    /// the border are closed.
    /// </summary>
    public static TriangleMesh Extract(Volume<float> field, float iso)
    {
        ArgumentNullException.ThrowIfNull(field);
        var padded = Pad(field, iso);
        var shape = padded.Shape;
        var values = padded.Data;
        var positions = new List<float>();
        var triangles = new List<int>();
        var vertexByEdge = new Dictionary<long, int>();
        var cornerIndex = new int[8];
        var cornerValue = new float[8];
        for (int x = 0; x + 1 < shape.X; x++)
            for (int y = 0; y + 1 < shape.Y; y++)
                for (int z = 0; z + 1 < shape.Z; z++)
                {
                    int inside = 0;
                    for (int c = 0; c < 8; c++)
                    {
                        cornerIndex[c] = shape.Index(x + (c >> 2 & 1), y + (c >> 1 & 1), z + (c & 1));
                        cornerValue[c] = values[cornerIndex[c]];
                        if (cornerValue[c] > iso) inside++;
                    }
                    if (inside == 0 || inside == 8) continue; // the common case: far from the surface
                    foreach (var tetrahedron in Tetrahedra)
                        Polygonise(tetrahedron, cornerIndex, cornerValue, iso, shape, positions, triangles, vertexByEdge);
                }
        // Back from padded to field coordinates.
        var result = positions.ToArray();
        for (int i = 0; i < result.Length; i++) result[i] -= 1;
        return new TriangleMesh(result, triangles.ToArray());
    }

    private static void Polygonise(int[] tetrahedron, int[] cornerIndex, float[] cornerValue, float iso,
        Shape3 shape, List<float> positions, List<int> triangles, Dictionary<long, int> vertexByEdge)
    {
        Span<int> inner = stackalloc int[4];
        Span<int> outer = stackalloc int[4];
        int innerCount = 0, outerCount = 0;
        foreach (var corner in tetrahedron)
        {
            if (cornerValue[corner] > iso) inner[innerCount++] = corner;
            else outer[outerCount++] = corner;
        }
        if (innerCount == 0 || outerCount == 0) return;
        int Vertex(int a, int b) => EdgeVertex(cornerIndex[a], cornerValue[a], cornerIndex[b], cornerValue[b], iso, shape, positions, vertexByEdge);
        if (innerCount == 1)
            AddOriented(triangles, positions, Vertex(inner[0], outer[0]), Vertex(inner[0], outer[1]), Vertex(inner[0], outer[2]), inner[..1], outer[..3], cornerIndex, shape);
        else if (innerCount == 3)
            AddOriented(triangles, positions, Vertex(inner[0], outer[0]), Vertex(inner[1], outer[0]), Vertex(inner[2], outer[0]), inner[..3], outer[..1], cornerIndex, shape);
        else
        {
            // Two inside, two outside: the cut is a quad through the four crossing edges, in cyclic order.
            int p = Vertex(inner[0], outer[0]), q = Vertex(inner[0], outer[1]), r = Vertex(inner[1], outer[1]), s = Vertex(inner[1], outer[0]);
            AddOriented(triangles, positions, p, q, r, inner[..2], outer[..2], cornerIndex, shape);
            AddOriented(triangles, positions, p, r, s, inner[..2], outer[..2], cornerIndex, shape);
        }
    }

    private static int EdgeVertex(int indexA, float valueA, int indexB, float valueB, float iso, Shape3 shape,
        List<float> positions, Dictionary<long, int> vertexByEdge)
    {
        if (indexA > indexB) (indexA, valueA, indexB, valueB) = (indexB, valueB, indexA, valueA);
        float t = valueB == valueA ? 0.5f : Math.Clamp((iso - valueA) / (valueB - valueA), 0f, 1f);
        // A crossing at a grid corner (value exactly iso) is shared by every edge through that corner: key it by
        // the corner, so those edges weld into one vertex and the collapsed slivers are dropped.
        const float Snap = 1e-4f;
        long key = t <= Snap ? -1L - indexA : t >= 1 - Snap ? -1L - indexB : (long)indexA * shape.Count + indexB;
        if (t <= Snap) t = 0;
        else if (t >= 1 - Snap) t = 1;
        if (vertexByEdge.TryGetValue(key, out var existing)) return existing;
        var (ax, ay, az) = Unindex(indexA, shape);
        var (bx, by, bz) = Unindex(indexB, shape);
        int vertex = positions.Count / 3;
        positions.Add(ax + t * (bx - ax));
        positions.Add(ay + t * (by - ay));
        positions.Add(az + t * (bz - az));
        vertexByEdge[key] = vertex;
        return vertex;
    }

    // Orients (a, b, c) so that its normal points from the inside corners towards the outside ones.
    private static void AddOriented(List<int> triangles, List<float> positions, int a, int b, int c,
        ReadOnlySpan<int> inner, ReadOnlySpan<int> outer, ReadOnlySpan<int> cornerIndex, Shape3 shape)
    {
        if (a == b || b == c || a == c) return;
        float Coordinate(int vertex, int axis) => positions[3 * vertex + axis];
        float ux = Coordinate(b, 0) - Coordinate(a, 0), uy = Coordinate(b, 1) - Coordinate(a, 1), uz = Coordinate(b, 2) - Coordinate(a, 2);
        float vx = Coordinate(c, 0) - Coordinate(a, 0), vy = Coordinate(c, 1) - Coordinate(a, 1), vz = Coordinate(c, 2) - Coordinate(a, 2);
        float nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
        float dx = 0, dy = 0, dz = 0;
        foreach (var corner in outer) { var (x, y, z) = Unindex(cornerIndex[corner], shape); dx += x / outer.Length; dy += y / outer.Length; dz += z / outer.Length; }
        foreach (var corner in inner) { var (x, y, z) = Unindex(cornerIndex[corner], shape); dx -= x / inner.Length; dy -= y / inner.Length; dz -= z / inner.Length; }
        if (nx * dx + ny * dy + nz * dz >= 0) { triangles.Add(a); triangles.Add(b); triangles.Add(c); }
        else { triangles.Add(a); triangles.Add(c); triangles.Add(b); }
    }

    private static (float X, float Y, float Z) Unindex(int index, Shape3 shape)
    {
        int z = index % shape.Z;
        int rest = index / shape.Z;
        return (rest / shape.Y, rest % shape.Y, z);
    }

    private static Volume<float> Pad(Volume<float> field, float iso)
    {
        var shape = field.Shape;
        var padded = new Volume<float>(new Shape3(shape.X + 2, shape.Y + 2, shape.Z + 2));
        float outside = Math.Min(iso - 1, iso * 0.5f - 1);
        Array.Fill(padded.Data, outside);
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                Array.Copy(field.Data, shape.Index(x, y, 0), padded.Data, padded.Shape.Index(x + 1, y + 1, 1), shape.Z);
        return padded;
    }
}
