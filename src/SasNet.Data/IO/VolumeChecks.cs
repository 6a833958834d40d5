using SasNet.Geometry;

namespace SasNet.Data.IO;

/// <summary>Validation shared by the readers and datasets: finite intensities and matching shapes.</summary>
public static class VolumeChecks
{
    /// <summary>Throws <see cref="NonFiniteValueException"/> when <paramref name="image"/> holds NaN or ±Inf.</summary>
    public static void RequireFinite(Volume<float> image, string filePath, string datasetName)
    {
        ArgumentNullException.ThrowIfNull(image);
        var data = image.Data;
        int first = -1, count = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
            {
                if (first < 0) first = i;
                count++;
            }
        }
        if (count == 0) return;
        var s = image.Shape;
        int x = first / (s.Y * s.Z), y = first / s.Z % s.Y, z = first % s.Z;
        throw new NonFiniteValueException(filePath, datasetName, count, (x, y, z), data[first]);
    }

    /// <summary>Throws <see cref="ShapeMismatchException"/> when the two shapes differ.</summary>
    public static void RequireSameShape(Shape3 first, Shape3 second, string filePath, string firstName = "image", string secondName = "label")
    {
        if (first != second) throw new ShapeMismatchException(filePath, firstName, first, secondName, second);
    }

    /// <summary>
    /// Converts a label value stored as a number to a byte class index; values must be whole numbers in
    /// 0..255 (within 1e-3), otherwise the file is rejected rather than silently truncated.
    /// </summary>
    internal static byte ToLabelByte(double value, string filePath, string datasetName)
    {
        double rounded = Math.Round(value);
        if (!double.IsFinite(value) || rounded < 0 || rounded > 255 || Math.Abs(value - rounded) > 1e-3)
            throw new VolumeFormatException(filePath, $"'{datasetName}' read as a label holds {value}, which is not a class index 0..255");
        return (byte)rounded;
    }
}
