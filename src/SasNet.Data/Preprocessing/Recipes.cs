using SasNet.Data.IO;
using SasNet.Geometry;

namespace SasNet.Data.Preprocessing;

/// <summary>
/// LA preprocessing as in UA-MT's conversion script (checked against its code): label = (mask == 255);
/// image z-scored over the whole volume; then cropped in X and Y only to the label's bounding box widened by
/// a random margin of 10–19 voxels per side plus half of any shortfall to the patch size (112, 112);
/// Z is kept whole (the script computes a Z range with margins 5–9 but never applies it).
/// </summary>
/// <param name="PatchSize">Training patch the crop must accommodate (X and Y used).</param>
/// <param name="MarginMinXY">Smallest random margin in X/Y (inclusive).</param>
/// <param name="MarginMaxXY">Largest random margin in X/Y (exclusive, numpy randint convention).</param>
/// <param name="CropZ">Also crop Z to the label box with margins 5–9 (not in the official script; off by default).</param>
public sealed record LaPreprocessOptions(Shape3 PatchSize, int MarginMinXY = 10, int MarginMaxXY = 20, bool CropZ = false)
{
    /// <summary>The official settings (patch 112×112×80).</summary>
    public static LaPreprocessOptions Official { get; } = new(new Shape3(112, 112, 80));
}

/// <summary>Raw-data → training-layout recipes (docs/method.md §9) for LA, Pancreas-CT and BraTS 2019.</summary>
public static class Recipes
{
    /// <summary>LA: NRRD image + mask → (image, label) per <see cref="LaPreprocessOptions"/>; margins drawn from <paramref name="random"/>.</summary>
    public static (Volume<float> Image, Volume<byte> Label) PreprocessLA(Volume<float> image, Volume<byte> mask, LaPreprocessOptions options, Random random, string source = "LA case")
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        VolumeChecks.RequireSameShape(image.Shape, mask.Shape, source, "lgemri", "laendo");
        VolumeChecks.RequireFinite(image, source, "lgemri");
        var label = mask.Map(v => v == 255 ? (byte)1 : (byte)0);
        var box = Box3.Bounding(label, v => v == 1) ?? throw new VolumeFormatException(source, "the atrium mask has no voxel equal to 255");
        var (mean, std) = VolumeMath.MeanStd(image.Data);
        var normalised = image.Map(v => (float)((v - mean) / Math.Max(std, 1e-8)));
        var s = image.Shape;
        // UA-MT uses max − min of the inclusive box; Max here is exclusive.
        int padX = Math.Max(options.PatchSize.X - (box.X1 - 1 - box.X0), 0) / 2;
        int padY = Math.Max(options.PatchSize.Y - (box.Y1 - 1 - box.Y0), 0) / 2;
        int padZ = Math.Max(options.PatchSize.Z - (box.Z1 - 1 - box.Z0), 0) / 2;
        int x0 = Math.Max(box.X0 - random.Next(options.MarginMinXY, options.MarginMaxXY) - padX, 0);
        int x1 = Math.Min(box.X1 - 1 + random.Next(options.MarginMinXY, options.MarginMaxXY) + padX, s.X);
        int y0 = Math.Max(box.Y0 - random.Next(options.MarginMinXY, options.MarginMaxXY) - padY, 0);
        int y1 = Math.Min(box.Y1 - 1 + random.Next(options.MarginMinXY, options.MarginMaxXY) + padY, s.Y);
        int z0 = 0, z1 = s.Z;
        if (options.CropZ)
        {
            z0 = Math.Max(box.Z0 - random.Next(5, 10) - padZ, 0);
            z1 = Math.Min(box.Z1 - 1 + random.Next(5, 10) + padZ, s.Z);
        }
        var crop = Box3.FromBounds(x0, y0, z0, x1, y1, z1);
        return (normalised.Crop(crop), label.Crop(crop));
    }

    /// <summary>
    /// Converts raw LA cases (<c>&lt;rawRoot&gt;/&lt;ID&gt;/lgemri.nrrd</c> + <c>laendo.nrrd</c>) into
    /// <c>&lt;outputCasesDirectory&gt;/&lt;ID&gt;/mri_norm2.h5</c> (gzip). Case i draws its margins from
    /// Random(seed + i) over IDs in ordinal order, so the conversion is reproducible. Returns the IDs converted.
    /// </summary>
    public static IReadOnlyList<string> ConvertLA(string rawRoot, string outputCasesDirectory, LaPreprocessOptions? options = null, int seed = 0)
    {
        options ??= LaPreprocessOptions.Official;
        var ids = Directory.GetDirectories(rawRoot).Where(d => File.Exists(Path.Combine(d, "lgemri.nrrd")))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        for (int i = 0; i < ids.Length; i++)
        {
            var dir = Path.Combine(rawRoot, ids[i]);
            var image = Nrrd.ReadFloat(Path.Combine(dir, "lgemri.nrrd")).Volume;
            var mask = Nrrd.ReadLabel(Path.Combine(dir, "laendo.nrrd")).Volume;
            var (outImage, outLabel) = PreprocessLA(image, mask, options, new Random(seed + i), dir);
            Hdf5Case.Write(Path.Combine(outputCasesDirectory, ids[i], "mri_norm2.h5"), outImage, outLabel);
        }
        return ids;
    }

    /// <summary>
    /// Pancreas-CT: clip HU to [−125, 275], rescale to [0, 1], resample to 1 mm isotropic (trilinear image,
    /// nearest label), crop X and Y to the label box ± <paramref name="marginXY"/> (Z kept), z-score over the
    /// cropped volume. Label = (label &gt; 0).
    /// </summary>
    public static (Volume<float> Image, Volume<byte> Label) PreprocessPancreas(Volume<float> ct, Volume<byte> label, int marginXY = 25, string source = "Pancreas case")
    {
        VolumeChecks.RequireSameShape(ct.Shape, label.Shape, source, "image", "label");
        VolumeChecks.RequireFinite(ct, source, "image");
        var windowed = ct.Map(v => (Math.Clamp(v, -125f, 275f) + 125f) / 400f);
        var mm = new Spacing3(1, 1, 1);
        var image = VolumeMath.ResampleLinear(windowed, mm);
        var mask = VolumeMath.ResampleNearest(label.Map(v => v > 0 ? (byte)1 : (byte)0), mm);
        var box = Box3.Bounding(mask, v => v == 1) ?? throw new VolumeFormatException(source, "the pancreas label is empty");
        var s = image.Shape;
        var crop = Box3.FromBounds(Math.Max(box.X0 - marginXY, 0), Math.Max(box.Y0 - marginXY, 0), 0,
            Math.Min(box.X1 + marginXY, s.X), Math.Min(box.Y1 + marginXY, s.Y), s.Z);
        var cropped = image.Crop(crop);
        var (mean, std) = VolumeMath.MeanStd(cropped.Data);
        return (cropped.Map(v => (float)((v - mean) / Math.Max(std, 1e-8))), mask.Crop(crop));
    }

    /// <summary>Converts one Pancreas case from NIfTI to the Pancreas_h5 layout ("label" stored as float 0/1).</summary>
    public static void ConvertPancreasCase(string ctNifti, string labelNifti, string outputH5)
    {
        var ct = Nifti.ReadFloat(ctNifti).Volume;
        var label = Nifti.ReadLabel(labelNifti).Volume;
        var (image, mask) = PreprocessPancreas(ct, label, source: ctNifti);
        Hdf5Case.Write(outputH5, image, mask, Hdf5StorageOptions.Gzip, labelAsFloat: true);
    }

    /// <summary>
    /// BraTS 2019 (FLAIR, whole tumour): crop to the bounding box of non-zero FLAIR voxels (the brain), clip
    /// intensities at the 99.9th percentile of brain voxels, z-score over brain voxels (voxels outside the
    /// brain become 0), label = (seg &gt; 0).
    /// </summary>
    public static (Volume<float> Image, Volume<byte> Label) PreprocessBraTS(Volume<float> flair, Volume<byte> segmentation, string source = "BraTS case")
    {
        VolumeChecks.RequireSameShape(flair.Shape, segmentation.Shape, source, "flair", "seg");
        VolumeChecks.RequireFinite(flair, source, "flair");
        var box = Box3.Bounding(flair, v => v != 0) ?? throw new VolumeFormatException(source, "the FLAIR image is all zero (no brain voxels)");
        var image = flair.Crop(box);
        var label = segmentation.Crop(box).Map(v => v > 0 ? (byte)1 : (byte)0);
        var brain = image.Data.Select(v => v != 0 ? (byte)1 : (byte)0).ToArray();
        float ceiling = (float)VolumeMath.Percentile(image.Data.Where(v => v != 0), 99.9);
        var clipped = image.Map(v => Math.Min(v, ceiling));
        var (mean, std) = VolumeMath.MeanStd(clipped.Data, brain);
        var normalised = new float[clipped.Data.Length];
        for (int i = 0; i < normalised.Length; i++)
            normalised[i] = brain[i] == 0 ? 0 : (float)((clipped.Data[i] - mean) / Math.Max(std, 1e-8));
        return (new Volume<float>(image.Shape, normalised, image.Spacing), label);
    }

    /// <summary>Converts one BraTS case (FLAIR and seg NIfTI) to <c>&lt;output&gt;.h5</c> in the BraTS layout.</summary>
    public static void ConvertBraTSCase(string flairNifti, string segNifti, string outputH5)
    {
        var flair = Nifti.ReadFloat(flairNifti).Volume;
        var seg = Nifti.ReadLabel(segNifti).Volume;
        var (image, label) = PreprocessBraTS(flair, seg, flairNifti);
        Hdf5Case.Write(outputH5, image, label);
    }
}
