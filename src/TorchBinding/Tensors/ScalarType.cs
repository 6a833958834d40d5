namespace TorchBinding;

/// <summary>Element types; the values are libtorch's own <c>c10::ScalarType</c> codes.</summary>
public enum ScalarType
{
    /// <summary>unsigned 8-bit integer</summary>
    Byte = 0,
    /// <summary>signed 8-bit integer</summary>
    Int8 = 1,
    /// <summary>signed 16-bit integer</summary>
    Int16 = 2,
    /// <summary>signed 32-bit integer</summary>
    Int32 = 3,
    /// <summary>signed 64-bit integer</summary>
    Int64 = 4,
    /// <summary>IEEE half precision</summary>
    Float16 = 5,
    /// <summary>IEEE single precision</summary>
    Float32 = 6,
    /// <summary>IEEE double precision</summary>
    Float64 = 7,
    /// <summary>complex of two float32</summary>
    ComplexFloat32 = 9,
    /// <summary>complex of two float64</summary>
    ComplexFloat64 = 10,
    /// <summary>boolean</summary>
    Bool = 11,
    /// <summary>bfloat16</summary>
    BFloat16 = 15,
}

/// <summary>Facts about element types.</summary>
public static class ScalarTypes
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this ScalarType type) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown scalar type"),
    };

    /// <summary>Whether the type is a floating-point (real) type.</summary>
    public static bool IsFloatingPoint(this ScalarType type) =>
        type is ScalarType.Float16 or ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16;

    /// <summary>The tensor element type that a .NET type maps to.</summary>
    public static ScalarType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? ScalarType.Float32
        : typeof(T) == typeof(double) ? ScalarType.Float64
        : typeof(T) == typeof(long) ? ScalarType.Int64
        : typeof(T) == typeof(int) ? ScalarType.Int32
        : typeof(T) == typeof(short) ? ScalarType.Int16
        : typeof(T) == typeof(byte) ? ScalarType.Byte
        : typeof(T) == typeof(sbyte) ? ScalarType.Int8
        : typeof(T) == typeof(bool) ? ScalarType.Bool
        : throw new NotSupportedException($"no tensor element type corresponds to {typeof(T).Name}");
}
