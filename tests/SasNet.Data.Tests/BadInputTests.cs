using System.Text;
using SasNet.Data.Datasets;
using SasNet.Data.IO;
using SasNet.Geometry;

namespace SasNet.Data.Tests;

/// <summary>A corpus of broken files generated at test time; each must raise a specific, explanatory exception.</summary>
public class BadInputTests
{
    private static readonly Shape3 Shape = new(12, 10, 8);

    private static string GoodCase(TempDirectory dir, string name = "good.h5")
    {
        Hdf5Case.Write(dir.File(name), TestVolumes.Random(Shape, 1), TestVolumes.Ball(Shape, 3));
        return dir.File(name);
    }

    [Hdf5Fact]
    public void TruncatedHdf5()
    {
        using var dir = new TempDirectory();
        var bytes = File.ReadAllBytes(GoodCase(dir));
        foreach (var keep in new[] { 0, 100, bytes.Length / 2, bytes.Length - 50 })
        {
            var path = dir.File($"trunc{keep}.h5");
            File.WriteAllBytes(path, bytes[..keep]);
            var e = Assert.ThrowsAny<VolumeFormatException>(() => Hdf5Case.Read(path));
            Assert.Equal(path, e.FilePath);
            Assert.Contains(path, e.Message);
        }
    }

    [Hdf5Fact]
    public void GarbageAndCorruptHdf5()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("garbage.h5"), Enumerable.Range(0, 5000).Select(i => (byte)(i * 37)).ToArray());
        Assert.ThrowsAny<VolumeFormatException>(() => Hdf5Case.Read(dir.File("garbage.h5")));
        // Corrupt the compressed chunk bytes in the second half of the file (metadata stays intact).
        var bytes = File.ReadAllBytes(GoodCase(dir));
        for (int i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++) bytes[i] ^= 0x5A;
        File.WriteAllBytes(dir.File("flipped.h5"), bytes);
        try { Hdf5Case.Read(dir.File("flipped.h5")); }
        catch (VolumeFormatException) { } // either the inflate fails (exception) or the data is silently different; never a crash
    }

    [Hdf5Fact]
    public void MissingDatasetNamesWhatExists()
    {
        using var dir = new TempDirectory();
        var path = GoodCase(dir);
        var e = Assert.Throws<DatasetNotFoundException>(() => Hdf5Case.Read(path, labelName: "mask"));
        Assert.Equal("mask", e.DatasetName);
        Assert.Contains("'image'", e.Message);
        Assert.Contains("'label'", e.Message);
        Assert.Throws<DatasetNotFoundException>(() => { using var f = Hdf5File.OpenRead(path); f.ReadFloat("group/missing"); });
    }

    [Hdf5Fact]
    public void ShapeMismatchAndNonFiniteAndWrongRank()
    {
        using var dir = new TempDirectory();
        using (var f = Hdf5File.Create(dir.File("mismatch.h5")))
        {
            f.Write("image", TestVolumes.Random(Shape, 1));
            f.Write("label", TestVolumes.Ball(new Shape3(12, 10, 9), 3));
        }
        var m = Assert.Throws<ShapeMismatchException>(() => Hdf5Case.Read(dir.File("mismatch.h5")));
        Assert.Contains("12×10×8", m.Message);
        Assert.Contains("12×10×9", m.Message);

        var image = TestVolumes.Random(Shape, 2);
        image[3, 4, 5] = float.PositiveInfinity;
        image[6, 0, 0] = float.NaN;
        Hdf5Case.Write(dir.File("inf.h5"), image, TestVolumes.Ball(Shape, 3));
        var n = Assert.Throws<NonFiniteValueException>(() => Hdf5Case.Read(dir.File("inf.h5")));
        Assert.Equal(2, n.Count);
        Assert.Equal((3, 4, 5), n.FirstVoxel);

        using (var f = Hdf5File.Create(dir.File("flat.h5")))
            f.Write("image", new Volume<float>(new Shape3(1, 1, 10)));
        Assert.Equal(new long[] { 1, 1, 10 }, Hdf5File.OpenRead(dir.File("flat.h5")).Describe("image").Dimensions);
    }

    [Fact]
    public void BadNiftiFiles()
    {
        using var dir = new TempDirectory();
        var good = NiftiNrrdTests.NiftiBytes(3, 2, 2, NiftiDataType.UInt8, 0, 0, false, new byte[12]);
        File.WriteAllBytes(dir.File("short.nii"), good[..200]);
        Assert.Contains("shorter than the 348-byte", Assert.ThrowsAny<VolumeFormatException>(() => Nifti.ReadFloat(dir.File("short.nii"))).Message);
        File.WriteAllBytes(dir.File("trunc.nii"), good[..358]);
        Assert.Contains("truncated", Assert.ThrowsAny<VolumeFormatException>(() => Nifti.ReadFloat(dir.File("trunc.nii"))).Message);
        var rgb = NiftiNrrdTests.NiftiBytes(3, 2, 2, NiftiDataType.UInt8, 0, 0, false, new byte[36], datatypeOverride: 128);
        File.WriteAllBytes(dir.File("rgb.nii"), rgb);
        Assert.Contains("128", Assert.Throws<UnsupportedElementTypeException>(() => Nifti.ReadFloat(dir.File("rgb.nii"))).Message);
        var gz = new MemoryStream();
        using (var z = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) z.Write(good);
        File.WriteAllBytes(dir.File("cut.nii.gz"), gz.ToArray()[..(int)(gz.Length / 2)]);
        Assert.ThrowsAny<VolumeFormatException>(() => Nifti.ReadFloat(dir.File("cut.nii.gz")));
        File.WriteAllBytes(dir.File("random.nii"), Enumerable.Repeat((byte)7, 400).ToArray());
        Assert.ThrowsAny<VolumeFormatException>(() => Nifti.ReadFloat(dir.File("random.nii")));
    }

    [Fact]
    public void BadNrrdFiles()
    {
        using var dir = new TempDirectory();
        void Header(string name, string text, byte[]? data = null)
        {
            var bytes = Encoding.ASCII.GetBytes(text).Concat(data ?? []).ToArray();
            File.WriteAllBytes(dir.File(name), bytes);
        }
        Header("trunc.nrrd", "NRRD0004\ntype: float\ndimension: 3\nsizes: 4 4 4\nencoding: raw\n\n", new byte[100]);
        Assert.Contains("truncated", Assert.ThrowsAny<VolumeFormatException>(() => Nrrd.ReadFloat(dir.File("trunc.nrrd"))).Message);
        Header("type.nrrd", "NRRD0004\ntype: block\nblock size: 4\ndimension: 3\nsizes: 1 1 1\nencoding: raw\n\n", new byte[4]);
        Assert.Throws<UnsupportedElementTypeException>(() => Nrrd.ReadFloat(dir.File("type.nrrd")));
        Header("nosizes.nrrd", "NRRD0004\ntype: float\ndimension: 3\nencoding: raw\n\n");
        Assert.Contains("'sizes'", Assert.ThrowsAny<VolumeFormatException>(() => Nrrd.ReadFloat(dir.File("nosizes.nrrd"))).Message);
        Header("bad.nrrd", "NRRD0004\ntype: float\ndimension: three\nsizes: 1 1 1\nencoding: raw\n\n");
        Assert.ThrowsAny<VolumeFormatException>(() => Nrrd.ReadFloat(dir.File("bad.nrrd")));
        Header("gz.nrrd", "NRRD0004\ntype: float\ndimension: 3\nsizes: 4 4 4\nencoding: gzip\n\n", [0x1F, 0x8B, 8, 0, 1, 2, 3]);
        Assert.ThrowsAny<VolumeFormatException>(() => Nrrd.ReadFloat(dir.File("gz.nrrd")));
        Header("nan.nrrd", "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 1 1 2\nencoding: raw\n\n", [1, 200]);
        Assert.Equal(200, Nrrd.ReadLabel(dir.File("nan.nrrd")).Volume[0, 0, 1]);
        File.WriteAllText(dir.File("text.nrrd"), "hello");
        Assert.ThrowsAny<VolumeFormatException>(() => Nrrd.ReadFloat(dir.File("text.nrrd")));
    }

    [Hdf5Fact]
    public void MissingCaseFileAndMissingList()
    {
        using var dir = new TempDirectory();
        var cases = new CaseCollection("t", [new CaseFile("absent", dir.File("absent.h5"))]);
        Assert.Contains("absent", Assert.Throws<FileNotFoundException>(() => cases.Load(0)).Message);
        Assert.Throws<FileNotFoundException>(() => DatasetCatalog.BraTS(dir.Path));
    }
}
