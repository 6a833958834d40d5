namespace SasNet.Data.Phantoms;

/// <summary>
/// Smooth random field in [-1, 1]: random values on a coarse lattice, interpolated with smoothstep
/// weights (C¹ continuous). Cheap low-frequency noise for organ deformation, bias fields and texture.
/// </summary>
internal sealed class ValueNoise3
{
    private readonly float[] lattice;
    private readonly int nx, ny, nz;
    private readonly double sx, sy, sz;

    /// <param name="random">Source of the lattice values (consumed in a fixed order, so deterministic).</param>
    /// <param name="cellSize">Lattice spacing in voxels: larger means smoother.</param>
    /// <param name="extentX">Extent of the sampled region along X, in voxels.</param>
    /// <param name="extentY">Extent along Y.</param>
    /// <param name="extentZ">Extent along Z.</param>
    public ValueNoise3(Random random, double cellSize, int extentX, int extentY, int extentZ)
    {
        nx = (int)Math.Ceiling(extentX / cellSize) + 2;
        ny = (int)Math.Ceiling(extentY / cellSize) + 2;
        nz = (int)Math.Ceiling(extentZ / cellSize) + 2;
        sx = sy = sz = 1.0 / cellSize;
        lattice = new float[nx * ny * nz];
        for (int i = 0; i < lattice.Length; i++) lattice[i] = (float)(random.NextDouble() * 2 - 1);
    }

    /// <summary>Field value at voxel position (x, y, z); positions outside the extent are clamped.</summary>
    public float Sample(double x, double y, double z)
    {
        double gx = Math.Clamp(x * sx, 0, nx - 1.001), gy = Math.Clamp(y * sy, 0, ny - 1.001), gz = Math.Clamp(z * sz, 0, nz - 1.001);
        int ix = (int)gx, iy = (int)gy, iz = (int)gz;
        double fx = Smooth(gx - ix), fy = Smooth(gy - iy), fz = Smooth(gz - iz);
        int b = (ix * ny + iy) * nz + iz;
        int dy = nz, dx = ny * nz;
        double c00 = Lerp(lattice[b], lattice[b + 1], fz);
        double c01 = Lerp(lattice[b + dy], lattice[b + dy + 1], fz);
        double c10 = Lerp(lattice[b + dx], lattice[b + dx + 1], fz);
        double c11 = Lerp(lattice[b + dx + dy], lattice[b + dx + dy + 1], fz);
        return (float)Lerp(Lerp(c00, c01, fy), Lerp(c10, c11, fy), fx);
    }

    private static double Smooth(double t) => t * t * (3 - 2 * t);

    private static double Lerp(double a, double b, double t) => a + (b - a) * t;
}
