using SasNet.Geometry;
using SasNet.Models;
using static TorchSharp.torch;

namespace SasNet.Inference;

/// <summary>
/// The activations of one convolution block of one SASNet decoder for one input (Fig. 8): one volume per channel at the
/// block's resolution, <see cref="Factor"/> times coarser than the input.
/// </summary>
/// <param name="Branch">"low-level" or "high-level".</param>
/// <param name="Level">Decoder level, 4 (block_six, 1/8) … 1 (block_nine, full size).</param>
/// <param name="Channels">The block's output, one volume per channel.</param>
/// <param name="Factor">Input size / block size along X.</param>
public sealed record DecoderStage(string Branch, int Level, IReadOnlyList<Volume<float>> Channels, int Factor)
{
    /// <summary>The official name of the block, e.g. "block_seven".</summary>
    public string Block => VNetDecoder.BlockName(Level);

    /// <summary>The block's spatial shape.</summary>
    public Shape3 Shape => Channels[0].Shape;

    /// <summary>Mean |activation| over the channels, per voxel.</summary>
    public Volume<float> MeanAbsolute()
    {
        var mean = new Volume<float>(Shape);
        foreach (var channel in Channels)
            for (int i = 0; i < mean.Data.Length; i++) mean.Data[i] += Math.Abs(channel.Data[i]);
        for (int i = 0; i < mean.Data.Length; i++) mean.Data[i] /= Channels.Count;
        return mean;
    }

    /// <summary>The <paramref name="count"/> channels whose values vary most over slice <paramref name="z"/>, strongest first.</summary>
    public IReadOnlyList<int> StrongestChannels(int z, int count)
        => Enumerable.Range(0, Channels.Count).OrderByDescending(c => VolumeStatistics.SliceStandardDeviation(Channels[c], z)).Take(count).ToList();

    /// <summary>
    /// Both decoders' blocks at <paramref name="levels"/> for one image (X, Y, Z) of the model's patch size, in
    /// evaluation mode and without gradients; low-level before high-level for each level, absent decoders skipped.
    /// </summary>
    public static IReadOnlyList<DecoderStage> Capture(SasNetModel model, Volume<float> image, IEnumerable<int> levels, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(levels);
        var stages = new List<DecoderStage>();
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(image.Data, [1, 1, image.Shape.X, image.Shape.Y, image.Shape.Z]).to(device);
        var features = model.EncoderFeatures(input);
        foreach (var level in levels)
            foreach (var (branch, decoder) in new[] { ("low-level", model.LowDecoder), ("high-level", model.HighDecoder) })
            {
                if (decoder is null) continue;
                var output = decoder.DecodeTo(features, level).cpu();
                var shape = new Shape3((int)output.shape[2], (int)output.shape[3], (int)output.shape[4]);
                var values = output.contiguous().data<float>().ToArray();
                var channels = Enumerable.Range(0, (int)output.shape[1])
                    .Select(c => new Volume<float>(shape, values.AsSpan(c * shape.Count, shape.Count).ToArray())).ToList();
                stages.Add(new DecoderStage(branch, level, channels, image.Shape.X / shape.X));
            }
        return stages;
    }
}
