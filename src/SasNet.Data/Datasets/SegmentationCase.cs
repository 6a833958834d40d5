using SasNet.Geometry;

namespace SasNet.Data.Datasets;

/// <summary>Where one case lives: an HDF5 file with an image and a label dataset.</summary>
/// <param name="Id">Case identifier as listed in the split files.</param>
/// <param name="Path">HDF5 file path.</param>
/// <param name="ImageDataset">Name of the image dataset ("image").</param>
/// <param name="LabelDataset">Name of the label dataset ("label").</param>
public sealed record CaseFile(string Id, string Path, string ImageDataset = "image", string LabelDataset = "label");

/// <summary>A loaded case: image and label of equal shape, (X, Y, Z) C order.</summary>
/// <param name="Index">Position of the case in its <see cref="CaseCollection"/>.</param>
/// <param name="Id">Case identifier.</param>
/// <param name="Image">Float image, finite.</param>
/// <param name="Label">Class map (0 background, 1 foreground).</param>
public sealed record SegmentationCase(int Index, string Id, Volume<float> Image, Volume<byte> Label)
{
    /// <summary>Shape of image and label.</summary>
    public Shape3 Shape => Image.Shape;
}
