using SasNet.Geometry;

namespace SasNet.Notebooks.Tests;

/// <summary>Small synthetic organ-like cases for figure tests.</summary>
public static class Phantom
{
    /// <summary>An ellipsoid-ish blob with a bump, on a noisy background; label = blob; prediction = shifted blob.</summary>
    public static (Volume<float> Image, Volume<byte> Label, Volume<byte> Prediction) Case(int sizeX = 64, int sizeY = 64, int sizeZ = 48)
    {
        var shape = new Shape3(sizeX, sizeY, sizeZ);
        var image = new Volume<float>(shape);
        var label = new Volume<byte>(shape);
        var prediction = new Volume<byte>(shape);
        var random = new Random(7);
        bool Inside(double x, double y, double z, double shift)
        {
            double u = (x - sizeX * 0.5 - shift) / (sizeX * 0.28), v = (y - sizeY * 0.5) / (sizeY * 0.22), w = (z - sizeZ * 0.5) / (sizeZ * 0.3);
            double bump = 0.25 * Math.Exp(-((u - 0.6) * (u - 0.6) + v * v) * 4);
            return u * u + v * v + w * w < 1 + bump;
        }
        for (int x = 0; x < sizeX; x++)
        for (int y = 0; y < sizeY; y++)
        for (int z = 0; z < sizeZ; z++)
        {
            bool organ = Inside(x, y, z, 0);
            label[x, y, z] = organ ? (byte)1 : (byte)0;
            prediction[x, y, z] = Inside(x, y, z, sizeX * 0.04) ? (byte)1 : (byte)0;
            image[x, y, z] = (organ ? 0.8f : 0.2f) + 0.1f * (float)random.NextDouble() + 0.002f * z;
        }
        return (image, label, prediction);
    }
}
