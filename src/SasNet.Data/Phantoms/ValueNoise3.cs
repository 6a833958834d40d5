namespace SasNet.Data.Phantoms;

/// <summary>
/// Smooth random field in [-1, 1]: random values on a coarse lattice, interpolated with smoothstep
/// weights (C¹ continuous). Cheap low-frequency noise for organ deformation, bias fields and texture.
/// </summary>
internal sealed class ValueNoise3
{
    private readonly float[] _lattice;
    private readonly int _nx, _ny, _nz;
    private readonly double _sx, _sy, _sz;

    /// <param name="random">Source of the lattice values (consumed in a fixed order, so deterministic).</param>
    /// <param name="cellSize">Lattice spacing in voxels: larger means smoother.</param>
    /// <param name="extentX">Extent of the sampled region along X, in voxels.</param>
    /// <param name="extentY">Extent along Y.</param>
    /// <param name="extentZ">Extent along Z.</param>
    public ValueNoise3(Random random, double cellSize, int extentX, int extentY, int extentZ)
    {
        _nx = (int)Math.Ceiling(extentX / cellSize) + 2;
        _ny = (int)Math.Ceiling(extentY / cellSize) + 2;
        _nz = (int)Math.Ceiling(extentZ / cellSize) + 2;
        _sx = _sy = _sz = 1.0 / cellSize;
        _lattice = new float[_nx * _ny * _nz];
        for (int i = 0; i < _lattice.Length; i++) _lattice[i] = (float)(random.NextDouble() * 2 - 1);
    }

    /// <summary>Field value at voxel position (x, y, z); positions outside the extent are clamped.</summary>
    public float Sample(double x, double y, double z)
    {
        double gx = Math.Clamp(x * _sx, 0, _nx - 1.001), gy = Math.Clamp(y * _sy, 0, _ny - 1.001), gz = Math.Clamp(z * _sz, 0, _nz - 1.001);
        int ix = (int)gx, iy = (int)gy, iz = (int)gz;
        double fx = Smooth(gx - ix), fy = Smooth(gy - iy), fz = Smooth(gz - iz);
        int b = (ix * _ny + iy) * _nz + iz;
        int dy = _nz, dx = _ny * _nz;
        double c00 = Lerp(_lattice[b], _lattice[b + 1], fz);
        double c01 = Lerp(_lattice[b + dy], _lattice[b + dy + 1], fz);
        double c10 = Lerp(_lattice[b + dx], _lattice[b + dx + 1], fz);
        double c11 = Lerp(_lattice[b + dx + dy], _lattice[b + dx + dy + 1], fz);
        return (float)Lerp(Lerp(c00, c01, fy), Lerp(c10, c11, fy), fx);
    }

    private static double Smooth(double t) => t * t * (3 - 2 * t);

    private static double Lerp(double a, double b, double t) => a + (b - a) * t;
}
