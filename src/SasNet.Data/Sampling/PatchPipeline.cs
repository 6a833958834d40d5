using SasNet.Data.Datasets;
using SasNet.Data.Transforms;
using SasNet.Geometry;

namespace SasNet.Data.Sampling;

/// <summary>Training augmentation: crop size, SASSNet's RandomRotFlip (off for SASNet) and VVE (docs/method.md §4, §6).</summary>
/// <param name="PatchSize">Crop size (X, Y, Z): LA 112×112×80, Pancreas/BraTS 96³, quick phantoms 48×48×32.</param>
/// <param name="RotFlip">Apply SASSNet's RandomRotFlip (rot90 in X–Y by k ∈ 0..3, then flip along axis 0 or 1). It
/// swaps X and Y for odd k, so it needs equal X and Y patch sizes.</param>
/// <param name="View">View-variance enhancement; null means none.</param>
public sealed record AugmentationOptions(Shape3 PatchSize, bool RotFlip = false, ViewVariance? View = null)
{
    /// <summary>The VVE in effect (<see cref="ViewVariance.None"/> when <see cref="View"/> is null).</summary>
    public ViewVariance EffectiveView => View ?? ViewVariance.None;

    /// <summary>Throws when the options cannot give one patch shape per batch.</summary>
    public void Validate()
    {
        if (RotFlip && PatchSize.X != PatchSize.Y)
            throw new ArgumentException($"RandomRotFlip swaps X and Y, so the patch {PatchSize} needs equal X and Y sizes");
        EffectiveView.Validate(PatchSize);
    }
}

/// <summary>
/// Turns a case into a training sample: random crop (official placement and padding, <see cref="Cropping"/>),
/// optional RandomRotFlip, then VVE. All randomness comes from the <see cref="Random"/> passed in, drawn in
/// a fixed order (crop X, Y, Z; rot k, flip axis; view), so a seeded stream reproduces the sample exactly.
/// </summary>
public sealed class PatchPipeline
{
    /// <summary>Creates the pipeline over <paramref name="cases"/>.</summary>
    public PatchPipeline(CaseCollection cases, AugmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Cases = cases;
        Options = options;
    }

    /// <summary>The cases sampled from.</summary>
    public CaseCollection Cases { get; }

    /// <summary>The augmentation.</summary>
    public AugmentationOptions Options { get; }

    /// <summary>Builds one sample from case <paramref name="caseIndex"/>.</summary>
    public TrainingSample Sample(int caseIndex, bool isLabeled, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var source = Cases.Load(caseIndex);
        var patch = Options.PatchSize;
        var origin = Cropping.RandomOrigin(source.Shape, patch, random);
        var box = new Box3(origin.X, origin.Y, origin.Z, patch);
        var image = source.Image.Crop(box).Data;
        var label = source.Label.Crop(box).Data;
        var rotFlip = AxisTransform.Identity;
        if (Options.RotFlip)
        {
            int k = random.Next(0, 4);
            int axis = random.Next(0, 2);
            rotFlip = AxisTransform.Rot90(k).ThenFlip(axis);
            image = rotFlip.Apply<float>(image, patch);
            label = rotFlip.Apply<byte>(label, patch);
        }
        var shapeAfterRotFlip = rotFlip.OutputShape(patch);
        var (viewImage, viewLabel, view) = Options.EffectiveView.Apply(image, label, shapeAfterRotFlip, random);
        var info = new SampleInfo(caseIndex, source.Id, isLabeled, source.Shape, origin, patch, rotFlip, view);
        return new TrainingSample(viewImage, viewLabel, info);
    }
}
