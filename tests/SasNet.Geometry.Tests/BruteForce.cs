using SasNet.Geometry;

namespace SasNet.Geometry.Tests;

/// <summary>Obviously-correct, slow reference implementations and random inputs for the tests.</summary>
internal static class BruteForce
{
    public static byte[] RandomMask(Random random, Shape3 shape, double foregroundFraction)
    {
        var mask = new byte[shape.Count];
        for (int i = 0; i < mask.Length; i++) mask[i] = random.NextDouble() < foregroundFraction ? (byte)1 : (byte)0;
        return mask;
    }

    /// <summary>A random axis-aligned ellipsoid (possibly cut by the border) plus a few stray voxels: masks whose bounding box is a small part of the grid.</summary>
    public static byte[] RandomBlob(Random random, Shape3 shape)
    {
        var mask = new byte[shape.Count];
        double cx = random.NextDouble() * shape.X, cy = random.NextDouble() * shape.Y, cz = random.NextDouble() * shape.Z;
        double rx = 0.5 + random.NextDouble() * shape.X / 3, ry = 0.5 + random.NextDouble() * shape.Y / 3, rz = 0.5 + random.NextDouble() * shape.Z / 3;
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                {
                    double d = Math.Pow((x - cx) / rx, 2) + Math.Pow((y - cy) / ry, 2) + Math.Pow((z - cz) / rz, 2);
                    if (d <= 1) mask[shape.Index(x, y, z)] = 1;
                }
        for (int k = random.Next(3); k > 0; k--) mask[random.Next(shape.Count)] = 1;
        if (!mask.Any(v => v != 0)) mask[random.Next(shape.Count)] = 1;
        return mask;
    }

    public static Shape3 RandomShape(Random random, int maxSize) =>
        new(random.Next(1, maxSize + 1), random.Next(1, maxSize + 1), random.Next(1, maxSize + 1));

    /// <summary>Distance from each voxel to the nearest voxel where <paramref name="isSite"/> holds; +∞ if none.</summary>
    public static double[] DistanceToSites(Shape3 shape, Spacing3 spacing, Func<int, bool> isSite)
    {
        var sites = new List<(int X, int Y, int Z)>();
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                    if (isSite(shape.Index(x, y, z))) sites.Add((x, y, z));
        var result = new double[shape.Count];
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                {
                    double best = double.PositiveInfinity;
                    foreach (var s in sites)
                    {
                        double dx = (x - s.X) * spacing.X, dy = (y - s.Y) * spacing.Y, dz = (z - s.Z) * spacing.Z;
                        best = Math.Min(best, dx * dx + dy * dy + dz * dz);
                    }
                    result[shape.Index(x, y, z)] = Math.Sqrt(best);
                }
        return result;
    }

    /// <summary>Foreground voxels with a background face neighbour; outside voxels are background iff <paramref name="outsideIsBackground"/>.</summary>
    public static byte[] Boundary(byte[] mask, Shape3 shape, bool outsideIsBackground)
    {
        var result = new byte[shape.Count];
        (int, int, int)[] offsets = [(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)];
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                {
                    if (mask[shape.Index(x, y, z)] == 0) continue;
                    foreach (var (dx, dy, dz) in offsets)
                    {
                        int nx = x + dx, ny = y + dy, nz = z + dz;
                        bool background = shape.Contains(nx, ny, nz) ? mask[shape.Index(nx, ny, nz)] == 0 : outsideIsBackground;
                        if (background) result[shape.Index(x, y, z)] = 1;
                    }
                }
        return result;
    }

    /// <summary>All distances from each surface voxel of <paramref name="from"/> to the nearest surface voxel of <paramref name="to"/>.</summary>
    public static List<double> DirectedSurfaceDistances(byte[] from, byte[] to, Shape3 shape, Spacing3 spacing)
    {
        var fromSurface = Boundary(from, shape, outsideIsBackground: true);
        var toSurface = Boundary(to, shape, outsideIsBackground: true);
        var distances = DistanceToSites(shape, spacing, i => toSurface[i] != 0);
        var result = new List<double>();
        for (int i = 0; i < shape.Count; i++)
            if (fromSurface[i] != 0) result.Add(distances[i]);
        return result;
    }

    /// <summary>numpy.percentile with the default linear interpolation.</summary>
    public static double Percentile(IEnumerable<double> values, double q)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        double rank = q / 100 * (sorted.Length - 1);
        int lower = (int)Math.Floor(rank);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
    }

    /// <summary>Inner-boundary SDM straight from the definition, in double precision.</summary>
    public static double[] SignedDistanceMap(byte[] mask, Shape3 shape, Spacing3 spacing)
    {
        int n = shape.Count;
        int foreground = mask.Count(v => v != 0);
        if (foreground == 0) return new double[n];
        if (foreground == n) return Enumerable.Repeat(-1.0, n).ToArray();
        var inside = DistanceToSites(shape, spacing, i => mask[i] == 0);
        var outside = DistanceToSites(shape, spacing, i => mask[i] != 0);
        double maxInside = inside.Max(), maxOutside = outside.Max();
        var boundary = Boundary(mask, shape, outsideIsBackground: false);
        var result = new double[n];
        for (int i = 0; i < n; i++)
            result[i] = boundary[i] != 0 ? 0 : outside[i] / maxOutside - inside[i] / maxInside;
        return result;
    }
}
