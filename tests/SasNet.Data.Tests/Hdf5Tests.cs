using SasNet.Data.IO;
using SasNet.Geometry;

namespace SasNet.Data.Tests;

public class Hdf5Tests
{
    [Hdf5Fact]
    public void GzipRoundTripKeepsValuesAxesAndLayout()
    {
        using var dir = new TempDirectory();
        var shape = new Shape3(13, 7, 5);
        var image = TestVolumes.Coordinates(shape, new Spacing3(0.625, 0.625, 2.5));
        var label = TestVolumes.Ball(shape, 3);
        var path = dir.File("case.h5");
        Hdf5Case.Write(path, image, label, Hdf5StorageOptions.Gzip);

        var (readImage, readLabel) = Hdf5Case.Read(path);
        Assert.Equal(shape, readImage.Shape);
        Assert.Equal(image.Data, readImage.Data);
        Assert.Equal(label.Data, readLabel.Data);
        Assert.Equal(image.Spacing, readImage.Spacing);

        using var file = Hdf5File.OpenRead(path);
        var info = file.Describe("image");
        Assert.Equal(new long[] { 13, 7, 5 }, info.Dimensions);
        Assert.Equal(Hdf5ElementType.Float32, info.ElementType);
        Assert.True(info.IsChunked);
        Assert.Equal(1, info.FilterCount);
        Assert.Equal(Hdf5ElementType.UInt8, file.Describe("label").ElementType);
        Assert.Equal(new[] { "image", "label" }, file.RootNames());
    }

    [Hdf5Fact]
    public void AChildProcessStartedWhileAFileIsOpenDoesNotKeepItLocked()
    {
        using var dir = new TempDirectory();
        var path = dir.File("shared.h5");
        Hdf5Case.Write(path, TestVolumes.Random(new Shape3(6, 5, 4), 1), TestVolumes.Ball(new Shape3(6, 5, 4), 1));

        // HDF5 opens without close-on-exec, so the child inherits the descriptor. Had HDF5 put its flock on it, the
        // exclusive open below (.NET takes an exclusive flock for FileShare.None) would fail until the child exits.
        System.Diagnostics.Process child;
        using (var file = Hdf5File.OpenRead(path))
        {
            child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
            Assert.Equal(["image", "label"], file.RootNames());
        }
        try
        {
            Assert.False(child.HasExited);
            using var exclusive = File.Open(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            Assert.True(exclusive.Length > 0);
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
            child.Dispose();
        }
    }

    [Hdf5Fact]
    public void PlainRoundTripIsContiguous()
    {
        using var dir = new TempDirectory();
        var image = TestVolumes.Random(new Shape3(9, 8, 6), 3);
        var path = dir.File("plain.h5");
        using (var file = Hdf5File.Create(path)) file.Write("image", image, Hdf5StorageOptions.Plain);
        using (var file = Hdf5File.OpenRead(path))
        {
            var info = file.Describe("image");
            Assert.False(info.IsChunked);
            Assert.Equal(0, info.FilterCount);
            Assert.Equal(image.Data, file.ReadFloat("image").Data);
        }
    }

    [Hdf5Fact]
    public void IntegerAndDoubleDatasetsConvertOnRead()
    {
        using var dir = new TempDirectory();
        var shape = new Shape3(4, 3, 2);
        var path = dir.File("types.h5");
        using (var file = Hdf5File.Create(path))
        {
            file.Write("f64", new Volume<double>(shape, Enumerable.Range(0, shape.Count).Select(i => i * 0.5).ToArray()));
            file.Write("i16", new Volume<short>(shape, Enumerable.Range(0, shape.Count).Select(i => (short)(i - 10)).ToArray()));
            file.Write("i32", new Volume<int>(shape, Enumerable.Range(0, shape.Count).Select(i => i * 1000).ToArray()), Hdf5StorageOptions.Plain);
            file.Write("flabel", new Volume<float>(shape, Enumerable.Range(0, shape.Count).Select(i => (float)(i % 2)).ToArray()));
            file.Write("fbad", new Volume<float>(shape, Enumerable.Range(0, shape.Count).Select(i => i * 0.3f).ToArray()));
        }
        using var read = Hdf5File.OpenRead(path);
        Assert.Equal(11.5f, read.ReadFloat("f64").Data[23]);
        Assert.Equal(-10f, read.ReadFloat("i16").Data[0]);
        Assert.Equal(23000f, read.ReadFloat("i32").Data[23]);
        Assert.Equal((byte)1, read.ReadLabel("flabel").Data[1]);
        var bad = Assert.Throws<VolumeFormatException>(() => read.ReadLabel("fbad"));
        Assert.Contains("fbad", bad.Message);
        Assert.Throws<VolumeFormatException>(() => read.ReadLabel("i16")); // holds negative values
    }

    [Hdf5Fact]
    public void SameInputGivesByteIdenticalFiles()
    {
        using var dir = new TempDirectory();
        var image = TestVolumes.Random(new Shape3(20, 18, 9), 5);
        var label = TestVolumes.Ball(new Shape3(20, 18, 9), 4);
        Hdf5Case.Write(dir.File("a.h5"), image, label);
        Hdf5Case.Write(dir.File("b.h5"), image, label);
        Assert.Equal(File.ReadAllBytes(dir.File("a.h5")), File.ReadAllBytes(dir.File("b.h5")));
    }
}
