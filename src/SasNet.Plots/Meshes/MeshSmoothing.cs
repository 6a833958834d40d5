namespace SasNet.Plots.Meshes;

/// <summary>Mesh smoothing.</summary>
public static class MeshSmoothing
{
    /// <summary>
    /// Taubin λ|μ smoothing: a shrinking Laplacian step (λ) followed by an inflating one (μ), which removes the
    /// voxel ripple without the shrinkage of plain Laplacian smoothing. Returns a new mesh with the same triangles.
    /// </summary>
    public static TriangleMesh Taubin(TriangleMesh mesh, int iterations, float lambda = 0.5f, float mu = -0.53f)
    {
        if (iterations <= 0 || mesh.VertexCount == 0) return mesh;
        var neighbours = Neighbours(mesh);
        var positions = (float[])mesh.Positions.Clone();
        var next = new float[positions.Length];
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            Step(positions, next, neighbours, lambda);
            Step(next, positions, neighbours, mu);
        }
        return new TriangleMesh(positions, mesh.Triangles);
    }

    private static void Step(float[] from, float[] to, int[][] neighbours, float weight)
    {
        for (int v = 0; v < neighbours.Length; v++)
        {
            var around = neighbours[v];
            for (int axis = 0; axis < 3; axis++)
            {
                float own = from[3 * v + axis];
                if (around.Length == 0) { to[3 * v + axis] = own; continue; }
                float mean = 0;
                foreach (var n in around) mean += from[3 * n + axis];
                mean /= around.Length;
                to[3 * v + axis] = own + weight * (mean - own);
            }
        }
    }

    private static int[][] Neighbours(TriangleMesh mesh)
    {
        var sets = new HashSet<int>[mesh.VertexCount];
        for (int v = 0; v < sets.Length; v++) sets[v] = [];
        var t = mesh.Triangles;
        for (int i = 0; i < t.Length; i += 3)
        {
            sets[t[i]].Add(t[i + 1]); sets[t[i]].Add(t[i + 2]);
            sets[t[i + 1]].Add(t[i]); sets[t[i + 1]].Add(t[i + 2]);
            sets[t[i + 2]].Add(t[i]); sets[t[i + 2]].Add(t[i + 1]);
        }
        return sets.Select(s => s.ToArray()).ToArray();
    }
}
