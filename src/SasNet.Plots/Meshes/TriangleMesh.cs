namespace SasNet.Plots.Meshes;

/// <summary>An indexed triangle mesh: vertex positions (x, y, z interleaved) and vertex-index triples.</summary>
public sealed class TriangleMesh
{
    /// <summary>Wraps positions and triangles (not copied).</summary>
    public TriangleMesh(float[] positions, int[] triangles)
    {
        if (positions.Length % 3 != 0) throw new ArgumentException("positions must hold x, y, z triples", nameof(positions));
        if (triangles.Length % 3 != 0) throw new ArgumentException("triangles must hold index triples", nameof(triangles));
        Positions = positions;
        Triangles = triangles;
    }

    /// <summary>x0, y0, z0, x1, y1, z1, ...</summary>
    public float[] Positions { get; }

    /// <summary>a0, b0, c0, a1, b1, c1, ... (counter-clockwise seen from outside).</summary>
    public int[] Triangles { get; }

    /// <summary>Number of vertices.</summary>
    public int VertexCount => Positions.Length / 3;

    /// <summary>Number of triangles.</summary>
    public int TriangleCount => Triangles.Length / 3;

    /// <summary>An empty mesh.</summary>
    public static TriangleMesh Empty { get; } = new([], []);

    /// <summary>The x, y or z coordinates of all vertices.</summary>
    public float[] Coordinates(int axis)
    {
        var values = new float[VertexCount];
        for (int v = 0; v < values.Length; v++) values[v] = Positions[3 * v + axis];
        return values;
    }

    /// <summary>The first, second or third vertex index of every triangle.</summary>
    public int[] Corners(int corner)
    {
        var values = new int[TriangleCount];
        for (int t = 0; t < values.Length; t++) values[t] = Triangles[3 * t + corner];
        return values;
    }

    /// <summary>Total surface area (in the units of the positions).</summary>
    public double Area()
    {
        double area = 0;
        for (int t = 0; t < TriangleCount; t++)
        {
            var (a, b, c) = (Triangles[3 * t], Triangles[3 * t + 1], Triangles[3 * t + 2]);
            var (ux, uy, uz) = (Positions[3 * b] - Positions[3 * a], Positions[3 * b + 1] - Positions[3 * a + 1], Positions[3 * b + 2] - Positions[3 * a + 2]);
            var (vx, vy, vz) = (Positions[3 * c] - Positions[3 * a], Positions[3 * c + 1] - Positions[3 * a + 1], Positions[3 * c + 2] - Positions[3 * a + 2]);
            var (nx, ny, nz) = (uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
            area += 0.5 * Math.Sqrt((double)nx * nx + (double)ny * ny + (double)nz * nz);
        }
        return area;
    }

    /// <summary>
    /// Signed enclosed volume (divergence theorem); positive when triangles face outwards, which is how
    /// <see cref="MarchingTetrahedra"/> orients them.
    /// </summary>
    public double SignedVolume()
    {
        double volume = 0;
        for (int t = 0; t < TriangleCount; t++)
        {
            int a = 3 * Triangles[3 * t], b = 3 * Triangles[3 * t + 1], c = 3 * Triangles[3 * t + 2];
            volume += (Positions[a] * ((double)Positions[b + 1] * Positions[c + 2] - (double)Positions[b + 2] * Positions[c + 1])
                     - Positions[a + 1] * ((double)Positions[b] * Positions[c + 2] - (double)Positions[b + 2] * Positions[c])
                     + Positions[a + 2] * ((double)Positions[b] * Positions[c + 1] - (double)Positions[b + 1] * Positions[c])) / 6.0;
        }
        return volume;
    }
}
