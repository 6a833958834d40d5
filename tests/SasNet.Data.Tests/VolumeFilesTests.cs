using SasNet.Data.IO;
using SasNet.Geometry;

namespace SasNet.Data.Tests;

public class VolumeFilesTests
{
    [Theory]
    [InlineData("a.nii", VolumeFileFormat.Nifti)]
    [InlineData("dir/A.NII.GZ", VolumeFileFormat.Nifti)]
    [InlineData("case.h5", VolumeFileFormat.Hdf5)]
    [InlineData("case.hdf5", VolumeFileFormat.Hdf5)]
    [InlineData("x.nrrd", VolumeFileFormat.Nrrd)]
    [InlineData("x.nhdr", VolumeFileFormat.Nrrd)]
    [InlineData("x.gz", null)]
    [InlineData("x.png", null)]
    public void TheFormatFollowsTheEnding(string path, VolumeFileFormat? expected) => Assert.Equal(expected, VolumeFiles.FormatOf(path));

    [Theory]
    [InlineData("img.nii.gz")]
    [InlineData("img.h5")]
    [InlineData("img.nrrd")]
    public void AWrittenImageReadsBackInEachFormat(string name)
    {
        using var dir = new TempDirectory();
        var image = TestVolumes.Coordinates(new Shape3(6, 5, 4), new Spacing3(0.5, 0.75, 2));
        var path = Path.Combine(dir.Path, "nested", name);
        VolumeFiles.Write(path, image, hdf5Dataset: VolumeFiles.ImageDataset);
        var (read, header) = VolumeFiles.ReadImage(path);
        Assert.Equal(image.Shape, read.Shape);
        Assert.Equal(image.Data, read.Data);
        Assert.Equal(name.EndsWith(".nii.gz", StringComparison.Ordinal), header is not null);
    }

    [Fact]
    public void AnUnknownEndingNamesTheFileAndTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => VolumeFiles.ReadImage("scan.png"));
        Assert.StartsWith($"'scan.png' is not a {VolumeFiles.KnownEndings} file", e.Message);
        Assert.Throws<ArgumentException>(() => VolumeFiles.Write("mask.tif", new Volume<byte>(new Shape3(2, 2, 2))));
    }
}
