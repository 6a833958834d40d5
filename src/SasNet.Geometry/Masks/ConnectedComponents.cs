namespace SasNet.Geometry;

/// <summary>Which neighbours of a voxel are connected to it.</summary>
public enum Connectivity
{
    /// <summary>The 6 face neighbours (skimage <c>connectivity=1</c>).</summary>
    Face6 = 6,

    /// <summary>All 26 face, edge and corner neighbours (skimage <c>connectivity=3</c>, its 3D default).</summary>
    Full26 = 26,
}

/// <summary>
/// Connected-component labelling and largest-component post-processing of binary masks
/// (the optional post-processing of sliding-window inference, docs/method.md §8). Masks are flat arrays in C order over
/// (X, Y, Z), Z fastest; any nonzero byte is foreground. Linear time: a breadth-first flood fill
/// with an explicit queue, so deep components cannot overflow the stack.
/// </summary>
public static class ConnectedComponents
{
    /// <summary>
    /// Labels the components of <paramref name="mask"/>: writes 0 on background and 1..n on
    /// foreground into <paramref name="labels"/>, numbered in C order of each component's first
    /// voxel, and returns n.
    /// </summary>
    public static int Label(ReadOnlySpan<byte> mask, Shape3 shape, Connectivity connectivity, Span<int> labels)
    {
        Guard.Shape(shape, nameof(shape));
        Guard.Length(mask.Length, shape.Count, $"a mask of shape {shape}", nameof(mask));
        Guard.Length(labels.Length, shape.Count, $"the label output for shape {shape}", nameof(labels));
        var offsets = NeighbourOffsets(connectivity);
        labels.Clear();
        var queue = new int[shape.Count];
        int components = 0;
        int strideX = shape.Y * shape.Z;
        for (int seed = 0; seed < mask.Length; seed++)
        {
            if (mask[seed] == 0 || labels[seed] != 0) continue;
            int label = ++components;
            int head = 0, tail = 0;
            queue[tail++] = seed;
            labels[seed] = label;
            while (head < tail)
            {
                int voxel = queue[head++];
                int x = voxel / strideX, y = voxel / shape.Z % shape.Y, z = voxel % shape.Z;
                foreach (var (dx, dy, dz) in offsets)
                {
                    int nx = x + dx, ny = y + dy, nz = z + dz;
                    if (!shape.Contains(nx, ny, nz)) continue;
                    int neighbour = shape.Index(nx, ny, nz);
                    if (mask[neighbour] == 0 || labels[neighbour] != 0) continue;
                    labels[neighbour] = label;
                    queue[tail++] = neighbour;
                }
            }
        }
        return components;
    }

    /// <summary>
    /// Keeps only the largest connected component of <paramref name="mask"/> (as 0/1); on a tie the
    /// component found first in C order wins, like the official post-processing
    /// (skimage label + argmax of the sizes). An empty mask gives an empty result. The default
    /// 26-connectivity matches skimage's 3D default used there.
    /// </summary>
    public static byte[] LargestComponent(ReadOnlySpan<byte> mask, Shape3 shape, Connectivity connectivity = Connectivity.Full26)
    {
        Guard.Shape(shape, nameof(shape));
        Guard.Length(mask.Length, shape.Count, $"a mask of shape {shape}", nameof(mask));
        var labels = new int[shape.Count];
        int components = Label(mask, shape, connectivity, labels);
        var result = new byte[shape.Count];
        if (components == 0) return result;
        var sizes = new int[components + 1];
        foreach (int label in labels) sizes[label]++;
        int largest = 1;
        for (int label = 2; label <= components; label++)
            if (sizes[label] > sizes[largest]) largest = label;
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] == largest) result[i] = 1;
        return result;
    }

    /// <summary>Largest component of a mask volume; see <see cref="LargestComponent(ReadOnlySpan{byte}, Shape3, Connectivity)"/>.</summary>
    public static Volume<byte> LargestComponent(Volume<byte> mask, Connectivity connectivity = Connectivity.Full26)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return new Volume<byte>(mask.Shape, LargestComponent(mask.Data, mask.Shape, connectivity), mask.Spacing);
    }

    private static (int, int, int)[] NeighbourOffsets(Connectivity connectivity)
    {
        if (connectivity == Connectivity.Face6)
            return [(-1, 0, 0), (1, 0, 0), (0, -1, 0), (0, 1, 0), (0, 0, -1), (0, 0, 1)];
        if (connectivity != Connectivity.Full26)
            throw new ArgumentException($"connectivity must be Face6 or Full26, got {(int)connectivity}", nameof(connectivity));
        var offsets = new List<(int, int, int)>(26);
        for (int dx = -1; dx <= 1; dx++)
            for (int dy = -1; dy <= 1; dy++)
                for (int dz = -1; dz <= 1; dz++)
                    if (dx != 0 || dy != 0 || dz != 0) offsets.Add((dx, dy, dz));
        return [.. offsets];
    }
}
