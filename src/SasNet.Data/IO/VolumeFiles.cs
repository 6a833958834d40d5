using SasNet.Geometry;

namespace SasNet.Data.IO;

/// <summary>The volume file formats the kit reads and writes, told apart by the file name's ending.</summary>
public enum VolumeFileFormat
{
    /// <summary>NIfTI-1, <c>.nii</c> or <c>.nii.gz</c>.</summary>
    Nifti,
    /// <summary>HDF5 in the kit's case layout (<c>image</c>, <c>label</c>), <c>.h5</c> or <c>.hdf5</c>.</summary>
    Hdf5,
    /// <summary>NRRD, <c>.nrrd</c> or <c>.nhdr</c>.</summary>
    Nrrd,
}

/// <summary>
/// Reads and writes one volume in whichever format its file name says (<see cref="VolumeFileFormat"/>), for tools that
/// take any of them, such as <c>sasnet predict</c>. An HDF5 image is read from its <see cref="ImageDataset"/>; a NIfTI
/// output can carry over the header (orientation, qform/sform) of the NIfTI it was computed from.
/// </summary>
public static class VolumeFiles
{
    /// <summary>Dataset of the image in an HDF5 file of the kit's case layout.</summary>
    public const string ImageDataset = "image";
    /// <summary>Dataset of the label (or a predicted mask) in an HDF5 file, so that it reads back as a label.</summary>
    public const string LabelDataset = "label";
    /// <summary>Dataset of a foreground probability in an HDF5 file.</summary>
    public const string ProbabilityDataset = "probability";

    // Longest first, so that ".nii.gz" wins over any shorter ending.
    private static readonly (string Ending, VolumeFileFormat Format)[] Endings =
    [
        (".nii.gz", VolumeFileFormat.Nifti), (".nii", VolumeFileFormat.Nifti), (".hdf5", VolumeFileFormat.Hdf5), (".h5", VolumeFileFormat.Hdf5),
        (".nrrd", VolumeFileFormat.Nrrd), (".nhdr", VolumeFileFormat.Nrrd),
    ];

    /// <summary>The endings understood, for messages: ".nii, .nii.gz, .h5, .hdf5, .nrrd or .nhdr".</summary>
    public static string KnownEndings => ".nii, .nii.gz, .h5, .hdf5, .nrrd or .nhdr";

    /// <summary>The format of <paramref name="path"/> by its ending (case-insensitive), or null when it has none of them.</summary>
    public static VolumeFileFormat? FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var (ending, format) in Endings)
            if (path.EndsWith(ending, StringComparison.OrdinalIgnoreCase)) return format;
        return null;
    }

    private static VolumeFileFormat RequireFormat(string path) =>
        FormatOf(path) ?? throw new ArgumentException($"'{path}' is not a {KnownEndings} file", nameof(path));

    /// <summary>
    /// Reads an image as float; the NIfTI header comes back with a NIfTI input (null otherwise), so that outputs can share
    /// its orientation.
    /// </summary>
    /// <exception cref="ArgumentException">The name has no known ending.</exception>
    /// <exception cref="VolumeFormatException">The content is not a readable volume (which file, and why).</exception>
    public static (Volume<float> Image, NiftiHeader? Header) ReadImage(string path)
    {
        switch (RequireFormat(path))
        {
            case VolumeFileFormat.Nifti:
                var (nifti, header) = Nifti.ReadFloat(path);
                return (nifti, header);
            case VolumeFileFormat.Hdf5:
                using (var file = Hdf5File.OpenRead(path))
                    return (file.ReadFloat(ImageDataset), null);
            default:
                return (Nrrd.ReadFloat(path).Volume, null);
        }
    }

    /// <summary>
    /// Writes <paramref name="volume"/> in the format of <paramref name="path"/>, creating its folder: NIfTI with
    /// <paramref name="niftiTemplate"/>'s header when given, HDF5 as <paramref name="hdf5Dataset"/>, NRRD gzip-compressed.
    /// </summary>
    /// <exception cref="ArgumentException">The name has no known ending.</exception>
    public static void Write<T>(string path, Volume<T> volume, NiftiHeader? niftiTemplate = null, string hdf5Dataset = LabelDataset) where T : unmanaged
    {
        var format = RequireFormat(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        switch (format)
        {
            case VolumeFileFormat.Nifti:
                Nifti.Write(full, volume, niftiTemplate);
                break;
            case VolumeFileFormat.Hdf5:
                SasNet.IO.AtomicFile.Replace(full, temporary =>
                {
                    using var file = Hdf5File.Create(temporary);
                    file.Write(hdf5Dataset, volume);
                });
                break;
            default:
                Nrrd.Write(full, volume);
                break;
        }
    }
}
