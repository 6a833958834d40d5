namespace SasNet.Data.IO;

/// <summary>
/// A volume file could not be read or written because its content is not what the reader expects:
/// truncated or corrupt data, a missing dataset, an unsupported element type, mismatched shapes, or
/// non-finite intensities. The message always names the file and the problem.
/// </summary>
public class VolumeFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>; the message is prefixed with the path.</summary>
    public VolumeFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file that was being read or written.</summary>
    public string FilePath { get; }

    /// <summary>The problem without the file prefix.</summary>
    public string Problem { get; }
}

/// <summary>A named dataset (HDF5) or field does not exist in the file.</summary>
public sealed class DatasetNotFoundException : VolumeFormatException
{
    /// <summary>Creates the exception; <paramref name="available"/> lists what the file does hold.</summary>
    public DatasetNotFoundException(string filePath, string datasetName, IReadOnlyList<string> available)
        : base(filePath, $"no dataset named '{datasetName}' (the file holds: {(available.Count == 0 ? "nothing" : string.Join(", ", available.Select(a => "'" + a + "'")))})")
    {
        DatasetName = datasetName;
        Available = available;
    }

    /// <summary>The dataset that was asked for.</summary>
    public string DatasetName { get; }

    /// <summary>Names found at the file's root.</summary>
    public IReadOnlyList<string> Available { get; }
}

/// <summary>The stored element type (or rank) is not one this reader converts.</summary>
public sealed class UnsupportedElementTypeException : VolumeFormatException
{
    /// <summary>Creates the exception naming the element type found.</summary>
    public UnsupportedElementTypeException(string filePath, string what, string elementType)
        : base(filePath, $"{what} has unsupported element type {elementType}")
    {
        ElementType = elementType;
    }

    /// <summary>A description of the stored type, e.g. "compound" or "NIfTI datatype 128 (RGB24)".</summary>
    public string ElementType { get; }
}

/// <summary>An image and its label (or two volumes that must match) have different shapes.</summary>
public sealed class ShapeMismatchException : VolumeFormatException
{
    /// <summary>Creates the exception with both shapes in the message.</summary>
    public ShapeMismatchException(string filePath, string firstName, Geometry.Shape3 first, string secondName, Geometry.Shape3 second)
        : base(filePath, $"'{firstName}' has shape {first} but '{secondName}' has shape {second}")
    {
        FirstShape = first;
        SecondShape = second;
    }

    /// <summary>Shape of the first volume.</summary>
    public Geometry.Shape3 FirstShape { get; }

    /// <summary>Shape of the second volume.</summary>
    public Geometry.Shape3 SecondShape { get; }
}

/// <summary>An image holds NaN or ±Inf voxels, which would poison training silently.</summary>
public sealed class NonFiniteValueException : VolumeFormatException
{
    /// <summary>Creates the exception with the count and the first bad voxel.</summary>
    public NonFiniteValueException(string filePath, string datasetName, int count, (int X, int Y, int Z) firstVoxel, float firstValue)
        : base(filePath, $"'{datasetName}' holds {count} non-finite value(s); the first is {firstValue} at voxel ({firstVoxel.X}, {firstVoxel.Y}, {firstVoxel.Z})")
    {
        Count = count;
        FirstVoxel = firstVoxel;
    }

    /// <summary>Number of NaN/Inf voxels.</summary>
    public int Count { get; }

    /// <summary>The first bad voxel in C order.</summary>
    public (int X, int Y, int Z) FirstVoxel { get; }
}

/// <summary>A native library the kit needs (the HDF5 C library) could not be loaded.</summary>
public sealed class NativeLibraryUnavailableException : InvalidOperationException
{
    /// <summary>Creates the exception; the message says what to install.</summary>
    public NativeLibraryUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
