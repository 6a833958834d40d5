namespace SasNet.Geometry;

/// <summary>Argument checks shared by the geometry routines, each with a message that names the problem.</summary>
internal static class Guard
{
    public static void Spacing(Spacing3 spacing, string paramName)
    {
        for (int axis = 0; axis < 3; axis++)
        {
            double s = spacing[axis];
            if (!(s > 0) || double.IsInfinity(s))
                throw new ArgumentException($"voxel spacing must be positive and finite on every axis, got {spacing}", paramName);
        }
    }

    public static void Shape(Shape3 shape, string paramName)
    {
        if (shape.X < 1 || shape.Y < 1 || shape.Z < 1)
            throw new ArgumentException($"shape sizes must be positive, got {shape}", paramName);
    }

    public static void Batch(int batch, string paramName)
    {
        if (batch < 1)
            throw new ArgumentException($"batch size must be at least 1, got {batch}", paramName);
    }

    public static void Length(int actual, long expected, string what, string paramName)
    {
        if (actual != expected)
            throw new ArgumentException($"{what} needs {expected} values, got {actual}", paramName);
    }

    public static void SameShape(Shape3 a, Shape3 b, string paramName)
    {
        if (a != b)
            throw new ArgumentException($"shapes differ: {a} vs {b}", paramName);
    }
}
