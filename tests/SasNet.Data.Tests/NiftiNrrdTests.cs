using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SasNet.Data.IO;
using SasNet.Geometry;

namespace SasNet.Data.Tests;

public class NiftiNrrdTests
{
    [Theory]
    [InlineData("img.nii")]
    [InlineData("img.nii.gz")]
    public void NiftiRoundTripKeepsAxesSpacingAndOrientation(string name)
    {
        using var dir = new TempDirectory();
        var shape = new Shape3(7, 5, 3);
        var image = TestVolumes.Coordinates(shape, new Spacing3(0.8, 0.9, 2.5));
        var template = NiftiHeader.ForVolume(shape, image.Spacing, NiftiDataType.Float32) with
        {
            QFormCode = 1,
            SFormCode = 2,
            Quaternion = (0.1f, -0.2f, 0.3f),
            QOffset = (10, -20, 30),
            QFac = -1,
            SRows = [-0.8f, 0.01f, 0, 90, 0, 0.9f, 0.02f, -126, 0, 0, 2.5f, -72],
            Description = "test volume",
        };
        Nifti.Write(dir.File(name), image, template);
        if (name.EndsWith(".gz")) Assert.Equal(0x1F, File.ReadAllBytes(dir.File(name))[0]);
        var (read, header) = Nifti.ReadFloat(dir.File(name));
        Assert.Equal(image.Data, read.Data);
        Assert.Equal(image.Spacing.X, read.Spacing.X, 6);
        Assert.Equal(2.5, read.Spacing.Z, 6);
        Assert.Equal(template.SRows, header.SRows);
        Assert.Equal(template.Quaternion, header.Quaternion);
        Assert.Equal(template.QOffset, header.QOffset);
        Assert.Equal((short)2, header.SFormCode);
        Assert.Equal(-1f, header.QFac);
        Assert.Equal("test volume", header.Description);

        var label = TestVolumes.Ball(shape, 2);
        Nifti.Write(dir.File("lab_" + name), label, header);
        var (readLabel, labelHeader) = Nifti.ReadLabel(dir.File("lab_" + name));
        Assert.Equal(label.Data, readLabel.Data);
        Assert.Equal(NiftiDataType.UInt8, labelHeader.DataType);
    }

    [Fact]
    public void NiftiIsXFastestOnDiskAndScalingIsApplied()
    {
        using var dir = new TempDirectory();
        // Hand-built int16 file, 3×2×2, values 0..11 in file order, slope 2, intercept -1.
        var bytes = NiftiBytes(3, 2, 2, NiftiDataType.Int16, slope: 2, inter: -1, bigEndian: false,
            data: Enumerable.Range(0, 12).SelectMany(v => BitConverter.GetBytes((short)v)).ToArray());
        File.WriteAllBytes(dir.File("h.nii"), bytes);
        var (v, h) = Nifti.ReadFloat(dir.File("h.nii"));
        Assert.Equal(new Shape3(3, 2, 2), v.Shape);
        // file index i = x + 3·(y + 2·z) → value 2i − 1
        Assert.Equal(2 * (1 + 3 * (1 + 2 * 0)) - 1, v[1, 1, 0]);
        Assert.Equal(2 * (2 + 3 * (0 + 2 * 1)) - 1, v[2, 0, 1]);
        Assert.Equal(2f, h.ScaleSlope);

        var big = NiftiBytes(3, 2, 2, NiftiDataType.Float32, slope: 0, inter: 0, bigEndian: true,
            data: Enumerable.Range(0, 12).SelectMany(i => { var b = new byte[4]; BinaryPrimitives.WriteSingleBigEndian(b, i * 0.5f); return b; }).ToArray());
        File.WriteAllBytes(dir.File("be.nii"), big);
        Assert.Equal(0.5f * (2 + 3 * (0 + 2 * 1)), Nifti.ReadFloat(dir.File("be.nii")).Volume[2, 0, 1]);
    }

    internal static byte[] NiftiBytes(int x, int y, int z, NiftiDataType type, float slope, float inter, bool bigEndian, byte[] data, short? datatypeOverride = null)
    {
        var b = new byte[352 + data.Length];
        void I32(int o, int v) { if (bigEndian) BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(o), v); else BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(o), v); }
        void I16(int o, short v) { if (bigEndian) BinaryPrimitives.WriteInt16BigEndian(b.AsSpan(o), v); else BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(o), v); }
        void F32(int o, float v) { if (bigEndian) BinaryPrimitives.WriteSingleBigEndian(b.AsSpan(o), v); else BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(o), v); }
        I32(0, 348);
        I16(40, 3); I16(42, (short)x); I16(44, (short)y); I16(46, (short)z); I16(48, 1);
        I16(70, datatypeOverride ?? (short)type);
        F32(76, 1); F32(80, 1); F32(84, 1); F32(88, 1);
        F32(108, 352); F32(112, slope); F32(116, inter);
        "n+1\0"u8.CopyTo(b.AsSpan(344));
        data.CopyTo(b, 352);
        return b;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NrrdRoundTripRawAndGzip(bool gzip)
    {
        using var dir = new TempDirectory();
        var shape = new Shape3(6, 4, 3);
        var image = TestVolumes.Coordinates(shape, new Spacing3(0.625, 0.625, 0.625));
        Nrrd.Write(dir.File("a.nrrd"), image, gzip);
        var (read, header) = Nrrd.ReadFloat(dir.File("a.nrrd"));
        Assert.Equal(image.Data, read.Data);
        Assert.Equal(0.625, read.Spacing.Y, 9);
        Assert.Equal(3, header.SpaceDirections!.Count);
        var label = TestVolumes.Ball(shape, 2).Map(v => (byte)(v * 255));
        Nrrd.Write(dir.File("l.nrrd"), label, gzip);
        Assert.Equal(label.Data, Nrrd.ReadLabel(dir.File("l.nrrd")).Volume.Data);
    }

    [Fact]
    public void NrrdDetachedBigEndianShortWithSpacings()
    {
        using var dir = new TempDirectory();
        var data = new byte[2 * 3 * 2 * 2];
        for (int i = 0; i < 12; i++) BinaryPrimitives.WriteInt16BigEndian(data.AsSpan(2 * i), (short)(i - 3));
        File.WriteAllBytes(dir.File("vol.raw"), data);
        File.WriteAllText(dir.File("vol.nhdr"), "NRRD0004\n# comment\ntype: short\ndimension: 3\nsizes: 3 2 2\nspacings: 1.5 2 3\nendian: big\nencoding: raw\ndata file: vol.raw\n\n");
        var (v, _) = Nrrd.ReadFloat(dir.File("vol.nhdr"));
        Assert.Equal(new Spacing3(1.5, 2, 3), v.Spacing);
        Assert.Equal((2 + 3 * (0 + 2 * 1)) - 3, v[2, 0, 1]);
    }
}
