using SasNet.Data.Datasets;
using SasNet.Data.Phantoms;
using SasNet.Data.Sampling;
using SasNet.Data.Transforms;
using SasNet.Geometry;
using SasNet.Inference;

namespace SasNet.Training;

/// <summary>
/// The data side of an experiment, resolved from its configuration: the dataset (generating the built-in
/// phantoms on first use), the labeled / unlabeled / validation / test split, the augmentation and the
/// sliding-window settings.
/// </summary>
public sealed class ExperimentData
{
    /// <summary>Seed of the phantom generator: the same phantoms for every training seed.</summary>
    public const int PhantomSeed = 2024;

    private ExperimentData(MedicalDataset dataset, SemiSupervisedSplit split, AugmentationOptions augmentation, SlidingWindowOptions window)
    {
        Dataset = dataset;
        Split = split;
        Augmentation = augmentation;
        Window = window;
    }

    /// <summary>The dataset.</summary>
    public MedicalDataset Dataset { get; }
    /// <summary>Labeled, unlabeled, validation and test cases.</summary>
    public SemiSupervisedSplit Split { get; }
    /// <summary>Crop size, RandomRotFlip (SASSNet) and VVE (SASNet).</summary>
    public AugmentationOptions Augmentation { get; }
    /// <summary>Patch and stride of validation and test inference.</summary>
    public SlidingWindowOptions Window { get; }

    /// <summary>
    /// Resolves the data of <paramref name="config"/>. Phantoms are generated under
    /// <paramref name="cacheRoot"/>/phantoms-… the first time and reused after.
    /// </summary>
    public static ExperimentData Prepare(ExperimentConfig config, string cacheRoot)
    {
        config.Validate();
        var dataset = config.Data.Dataset switch
        {
            DatasetKind.Phantoms => Phantoms(config, cacheRoot),
            DatasetKind.LA => DatasetCatalog.LA(RequireRoot(config)),
            DatasetKind.Pancreas => DatasetCatalog.Pancreas(RequireRoot(config)),
            _ => DatasetCatalog.BraTS(RequireRoot(config)),
        };
        // Real datasets are only counted here, once their lists are read.
        if (config.Data.LabeledCount > dataset.TrainIds.Count)
            throw new ArgumentException($"LabeledCount {config.Data.LabeledCount} exceeds the {dataset.TrainIds.Count} training cases of {dataset.Name} in '{dataset.Root}'");
        // Validation comes from the unlabeled part, unless every training case is labeled (fully supervised V-Net).
        int unlabeledCount = dataset.TrainIds.Count - config.Data.LabeledCount;
        var source = unlabeledCount > config.Data.ValidationCount ? ValidationSource.Unlabeled : ValidationSource.Labeled;
        var split = dataset.Split(config.Data.LabeledCount, config.Data.ValidationCount, source);
        var protocol = config.Data.Dataset is DatasetKind.Pancreas or DatasetKind.BraTS ? ViewProtocol.SwapYZOrXZ : ViewProtocol.SwapXY;
        ViewVariance? view = config.Data.ViewVariance switch
        {
            ViewVarianceKind.None => null,
            ViewVarianceKind.Permute => ViewVariance.Permute.WithProtocol(protocol),
            ViewVarianceKind.FourierPermute => ViewVariance.FourierPermute.WithProtocol(protocol),
            _ => ViewVariance.FourierRotate(config.Data.RotationDegrees).WithProtocol(protocol),
        };
        var augmentation = new AugmentationOptions(config.Data.PatchSize, RotFlip: config.Method == TrainingMethod.SassNet, View: view);
        augmentation.Validate();
        var window = new SlidingWindowOptions(config.Data.PatchSize, config.Evaluation.Stride);
        return new ExperimentData(dataset, split, augmentation, window);
    }

    private static string RequireRoot(ExperimentConfig config)
    {
        var root = config.Data.DataRoot!;
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"the {config.Data.Dataset} dataset root '{root}' does not exist");
        return root;
    }

    private static MedicalDataset Phantoms(ExperimentConfig config, string cacheRoot)
    {
        var scale = config.Scale == ExperimentScale.Paper ? PhantomScale.Paper : PhantomScale.Quick;
        var root = Path.Combine(cacheRoot, $"phantoms-{scale.ToString().ToLowerInvariant()}-{config.Data.PhantomTrainCases}-{config.Data.PhantomTestCases}-{PhantomSeed}");
        PhantomDataset.Generate(root, scale, config.Data.PhantomTrainCases, config.Data.PhantomTestCases, PhantomSeed);
        return DatasetCatalog.Phantoms(root);
    }
}
