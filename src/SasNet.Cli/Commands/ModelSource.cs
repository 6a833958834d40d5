using SasNet.Checkpoints;
using SasNet.Experiments;
using SasNet.Training;

namespace SasNet.Cli.Commands;

/// <summary>
/// Where <c>evaluate</c> and <c>predict</c> take a trained network from: a run folder of this kit (<c>--run</c>, its
/// config.json and best/last checkpoint) or a PyTorch state dict written by the official SASNet, SASSNet or V-Net code
/// (<c>--weights</c>, a <c>.pth</c> file; the architecture is read from the weights, the patch and stride are the paper's
/// for <c>--dataset</c>).
/// </summary>
/// <param name="Config">The configuration the network is built and run with.</param>
/// <param name="Label">What to call the weights in reports.</param>
/// <param name="Load">Copies the weights into a freshly created method.</param>
internal sealed record ModelSource(ExperimentConfig Config, string Label, Action<ITrainingMethod> Load)
{
    /// <summary>Resolves exactly one of <paramref name="run"/> and <paramref name="weights"/>; usage errors name the option.</summary>
    /// <param name="run">--run: a run folder.</param>
    /// <param name="weights">--weights: a PyTorch state dict.</param>
    /// <param name="which">--checkpoint of a run: best or last.</param>
    /// <param name="dataset">With weights: the dataset whose paper patch and stride (and, for evaluate, test cases) are used.</param>
    /// <param name="dataRoot">With weights: the dataset's folder.</param>
    /// <param name="readsData">Whether the caller reads the dataset's cases (evaluate) or only its patch and stride (predict).</param>
    /// <param name="report">Where notes about the weights go.</param>
    public static ModelSource Resolve(string? run, string? weights, string which, DatasetKind dataset, string? dataRoot, bool readsData, TextWriter report)
    {
        if ((run is null) == (weights is null)) throw new CliUsageException("give either --run (a run folder of this kit) or --weights (a PyTorch .pth state dict), not both or neither");
        if (run is not null)
        {
            RunFolder folder;
            string path;
            try
            {
                folder = RunFolder.Open(run);
                path = folder.Checkpoint(preferBest: which == "best", out bool fellBack);
                if (fellBack) report.WriteLine($"sasnet: '{run}' has no {Trainer.BestCheckpoint}; using {Trainer.LastCheckpoint}");
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                throw new CliUsageException($"--run: {e.Message}");
            }
            var config = folder.Config;
            return new ModelSource(config, $"{config.RunName} ({Path.GetFileName(path)})", method => Trainer.LoadWeights(method, path));
        }
        if (!File.Exists(weights)) throw new CliUsageException($"--weights: file '{weights}' does not exist");
        if (readsData && dataset != DatasetKind.Phantoms && dataRoot is null) throw new CliUsageException($"--data-root: the {dataset} dataset's folder is needed");
        var checkpoint = PyTorchCheckpoints.Read(weights!);
        var model = checkpoint.Model;
        var paper = ExperimentConfig.Create(checkpoint.Method, ExperimentScale.Paper, dataset);
        var imported = paper with
        {
            Data = paper.Data with
            {
                // Without reading cases only the dataset's patch and stride matter.
                Dataset = readsData ? dataset : DatasetKind.Phantoms,
                DataRoot = dataRoot,
                // Only the test split is used: any labeled/validation division of the training list would do.
                ValidationCount = 0,
                LabeledCount = paper.Data.LabeledBatchSize,
            },
            // The network as the weights describe it (filters, normalisation, up-sampling, branches, decoder depth).
            Model = paper.Model with
            {
                BaseFilters = model.BaseFilters,
                Normalization = model.Normalization,
                Upsampling = model.Upsampling,
                Branches = model.Branches,
                LowDecoderDepth = model.LowDecoderDepth,
            },
        };
        report.WriteLine($"sasnet: '{weights}' holds a {checkpoint.Method} ({model.BaseFilters} filters, {model.Normalization} normalisation, " +
            $"branches {model.Branches}, {model.InChannels} input channel(s), {model.Classes} class(es))");
        foreach (var note in checkpoint.Notes) report.WriteLine($"sasnet: {note}");
        if (model.InChannels != imported.Model.InChannels || model.Classes != imported.Model.Classes)
            throw new CliUsageException($"--weights: '{weights}' has {model.InChannels} input channel(s) and {model.Classes} class(es); " +
                $"the kit's {checkpoint.Method} takes {imported.Model.InChannels} and {imported.Model.Classes}");
        return new ModelSource(imported.Validate(), Path.GetFileName(weights!), method => checkpoint.LoadInto(method.Network));
    }
}
