using SasNet.Data.IO;
using SasNet.Data.Preprocessing;
using SasNet.Geometry;

namespace SasNet.Data.Tests;

public class PreprocessingTests
{
    [Hdf5Fact]
    public void LaRecipeCropsXYAroundTheAtriumKeepsZAndNormalises()
    {
        using var dir = new TempDirectory();
        var shape = new Shape3(80, 70, 20);
        var image = TestVolumes.Random(shape, 3).Map(v => v * 50 + 300);
        var mask = new Volume<byte>(shape);
        for (int x = 30; x <= 40; x++) for (int y = 25; y <= 35; y++) for (int z = 5; z <= 12; z++) mask[x, y, z] = 255;
        Directory.CreateDirectory(dir.File("raw/CASE1"));
        Nrrd.Write(dir.File("raw/CASE1/lgemri.nrrd"), image);
        Nrrd.Write(dir.File("raw/CASE1/laendo.nrrd"), mask);
        var options = new LaPreprocessOptions(new Shape3(20, 20, 8));
        var ids = Recipes.ConvertLA(dir.File("raw"), dir.File("out"), options, seed: 4);
        Assert.Equal(new[] { "CASE1" }, ids);
        var (outImage, outLabel) = Hdf5Case.Read(dir.File("out/CASE1/mri_norm2.h5"));
        Assert.Equal(20, outImage.Shape.Z);                       // Z kept
        // box 30..40 (max−min = 10), pad (20−10)/2 = 5, margins 10..19: X size in [10+1+2·15, 10+2·(19+5)] clipped
        Assert.InRange(outImage.Shape.X, 11 + 30, 11 + 48);
        Assert.Equal(11 * 11 * 8, outLabel.Data.Count(v => v == 1));
        Assert.True(outLabel.Data.All(v => v <= 1));
        // z-scored over the whole original image, so the crop's mean is near 0 but not exactly.
        Assert.InRange(outImage.Data.Average(), -0.2, 0.2);
        // Same seed, same result.
        Recipes.ConvertLA(dir.File("raw"), dir.File("out2"), options, seed: 4);
        Assert.Equal(outImage.Data, Hdf5Case.Read(dir.File("out2/CASE1/mri_norm2.h5")).Image.Data);
        Assert.Throws<VolumeFormatException>(() => Recipes.PreprocessLA(image, new Volume<byte>(shape), options, new Random(0)));
    }

    [Hdf5Fact]
    public void PancreasRecipeWindowsResamplesCropsAndStoresFloatLabels()
    {
        using var dir = new TempDirectory();
        var shape = new Shape3(100, 90, 10);
        var ct = new Volume<float>(shape, new Spacing3(0.8, 0.8, 2.5));
        for (int i = 0; i < ct.Data.Length; i++) ct.Data[i] = -1000 + (i % 97) * 30; // HU from air to bone
        var label = new Volume<byte>(shape, ct.Spacing);
        for (int x = 40; x < 60; x++) for (int y = 30; y < 45; y++) for (int z = 3; z < 7; z++) label[x, y, z] = 1;
        Nifti.Write(dir.File("ct.nii.gz"), ct);
        Nifti.Write(dir.File("label.nii.gz"), label);
        Recipes.ConvertPancreasCase(dir.File("ct.nii.gz"), dir.File("label.nii.gz"), dir.File("Pancreas_h5/image0001_norm.h5"));
        using var file = Hdf5File.OpenRead(dir.File("Pancreas_h5/image0001_norm.h5"));
        Assert.Equal(Hdf5ElementType.Float32, file.Describe("label").ElementType);
        var image = file.ReadFloat("image");
        var mask = file.ReadLabel("label");
        Assert.Equal(25, image.Shape.Z);                            // 10 slices × 2.5 mm → 25 at 1 mm, kept whole
        // label box at 1 mm: x 32..47, y 24..35 (±1 from nearest rounding), plus 25 each side
        Assert.InRange(image.Shape.X, 16 + 50 - 2, 16 + 50 + 2);
        Assert.InRange(image.Shape.Y, 12 + 50 - 2, 12 + 50 + 2);
        var (mean, std) = VolumeMath.MeanStd(image.Data);
        Assert.InRange(mean, -1e-4, 1e-4);
        Assert.InRange(std, 0.999, 1.001);
        Assert.InRange(mask.Data.Count(v => v == 1), 16 * 12 * 10 - 400, 16 * 12 * 10 + 400);
        Assert.Equal(new Spacing3(1, 1, 1), image.Spacing);
    }

    [Hdf5Fact]
    public void BratsRecipeCropsToBrainClipsAndNormalisesBrainVoxels()
    {
        using var dir = new TempDirectory();
        var shape = new Shape3(30, 30, 20);
        var flair = new Volume<float>(shape);
        var seg = new Volume<byte>(shape);
        var rng = new Random(1);
        for (int x = 5; x < 25; x++) for (int y = 8; y < 22; y++) for (int z = 2; z < 18; z++) flair[x, y, z] = 100 + (float)rng.NextDouble() * 50;
        flair[10, 10, 10] = 100000; // an outlier the 99.9th-percentile clip must tame
        for (int x = 12; x < 16; x++) for (int y = 12; y < 15; y++) for (int z = 8; z < 10; z++) seg[x, y, z] = (byte)(x % 2 == 0 ? 2 : 4);
        Nifti.Write(dir.File("flair.nii.gz"), flair);
        Nifti.Write(dir.File("seg.nii.gz"), seg);
        Recipes.ConvertBraTSCase(dir.File("flair.nii.gz"), dir.File("seg.nii.gz"), dir.File("data/BraTS19_X.h5"));
        var (image, label) = Hdf5Case.Read(dir.File("data/BraTS19_X.h5"));
        Assert.Equal(new Shape3(20, 14, 16), image.Shape);
        Assert.Equal(4 * 3 * 2, label.Data.Count(v => v == 1));
        Assert.True(image.Data.Max() < 5, $"outlier not clipped: max {image.Data.Max()}");
        var (mean, std) = VolumeMath.MeanStd(image.Data);
        Assert.InRange(mean, -1e-3, 1e-3);
        Assert.InRange(std, 0.99, 1.01);
    }
}
