using SasNet.Geometry;

namespace SasNet.Plots.Tests;

/// <summary>Synthetic image, label and prediction volumes for chart tests.</summary>
public static class Phantoms
{
    /// <summary>
    /// A left-atrium-sized case on a 96×96×64 grid: a large lumpy body (about a quarter of the volume) with three
    /// vein-like tubes leaving it, a noisy image in which the organ is bright, and a prediction that is the organ
    /// shifted by three voxels along X and missing one tube.
    /// </summary>
    public static (Volume<float> Image, Volume<byte> Label, Volume<byte> Prediction) LargeOrgan() => Organ(96, 96, 64);

    /// <summary>The same kind of case on any grid (the organ scales with it).</summary>
    public static (Volume<float> Image, Volume<byte> Label, Volume<byte> Prediction) Organ(int sizeX, int sizeY, int sizeZ, Spacing3? spacing = null)
    {
        var shape = new Shape3(sizeX, sizeY, sizeZ);
        var image = new Volume<float>(shape, spacing);
        var label = new Volume<byte>(shape, spacing);
        var prediction = new Volume<byte>(shape, spacing);
        var noise = new Random(11);
        for (int x = 0; x < sizeX; x++)
            for (int y = 0; y < sizeY; y++)
                for (int z = 0; z < sizeZ; z++)
                {
                    bool organ = Inside(x, y, z, shape, shiftX: 0, withThirdTube: true);
                    label[x, y, z] = organ ? (byte)1 : (byte)0;
                    prediction[x, y, z] = Inside(x, y, z, shape, shiftX: 3, withThirdTube: false) ? (byte)1 : (byte)0;
                    image[x, y, z] = (organ ? 0.7f : 0.25f) + 0.2f * (float)noise.NextDouble() + 0.002f * z;
                }
        return (image, label, prediction);
    }

    private static bool Inside(double x, double y, double z, Shape3 shape, double shiftX, bool withThirdTube)
    {
        // Normalised coordinates around the centre; the body is an ellipsoid with a wavy surface.
        double u = (x - shiftX - shape.X * 0.5) / (shape.X * 0.36), v = (y - shape.Y * 0.48) / (shape.Y * 0.32), w = (z - shape.Z * 0.5) / (shape.Z * 0.34);
        double wobble = 0.08 * Math.Sin(5 * u) * Math.Cos(4 * v) + 0.06 * Math.Sin(6 * w);
        if (u * u + v * v + w * w < 1 + wobble) return true;
        // Tubes: cylinders along Z or Y leaving the body.
        bool Tube(double cu, double cv, double radius) => (u - cu) * (u - cu) + (v - cv) * (v - cv) < radius * radius && Math.Abs(w) < 1.35;
        if (Tube(0.45, 0.35, 0.16) || Tube(-0.45, 0.4, 0.14)) return true;
        return withThirdTube && (u - 0.1) * (u - 0.1) + (w - 0.2) * (w - 0.2) < 0.15 * 0.15 && v < -0.6 && v > -1.4;
    }

    /// <summary>A cube-shaped 0/1 mask of the given grid with foreground in [from, to) along every axis.</summary>
    public static Volume<byte> Box(Shape3 shape, int from, int to, Spacing3? spacing = null)
    {
        var mask = new Volume<byte>(shape, spacing);
        for (int x = from; x < Math.Min(to, shape.X); x++)
            for (int y = from; y < Math.Min(to, shape.Y); y++)
                for (int z = from; z < Math.Min(to, shape.Z); z++)
                    mask[x, y, z] = 1;
        return mask;
    }

    /// <summary>Number of foreground voxels per slice along <paramref name="axis"/>.</summary>
    public static int[] ForegroundPerSlice(Volume<byte> mask, int axis)
    {
        var counts = new int[mask.Shape[axis]];
        for (int x = 0; x < mask.Shape.X; x++)
            for (int y = 0; y < mask.Shape.Y; y++)
                for (int z = 0; z < mask.Shape.Z; z++)
                    if (mask[x, y, z] != 0) counts[axis == 0 ? x : axis == 1 ? y : z]++;
        return counts;
    }
}
