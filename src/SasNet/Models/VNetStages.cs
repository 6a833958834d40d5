using TorchBinding;
using static TorchBinding.torch;
using F = TorchBinding.torch.nn.functional;

namespace SasNet.Models;

/// <summary>
/// The V-Net encoder (SPEC §2.1; paper Eqs. 1–2): stages of 1, 2, 3, 3, 3 convolutions at f, 2f, 4f, 8f, 16f
/// channels, separated by stride-2 down-sampling convolutions. Modules are registered on the owner as
/// <c>block_one</c>, <c>block_one_dw</c>, …, <c>block_five</c>. Only the first <c>levels</c> stages are built.
/// </summary>
internal sealed class EncoderStages
{
    internal static readonly string[] LevelNames = ["one", "two", "three", "four", "five"];
    private static readonly int[] ConvsPerLevel = [1, 2, 3, 3, 3];

    private readonly ConvBlock[] blocks;
    private readonly DownsamplingConvBlock[] downs;

    public EncoderStages(ModelConfig config, int levels, Func<string, nn.Module<Tensor, Tensor>, nn.Module<Tensor, Tensor>> register)
    {
        Levels = levels;
        HasDropout = config.HasDropout;
        blocks = new ConvBlock[levels];
        downs = new DownsamplingConvBlock[levels - 1];
        long f = config.BaseFilters;
        for (int level = 0; level < levels; level++)
        {
            long channels = f << level;
            long input = level == 0 ? config.InChannels : channels;
            blocks[level] = (ConvBlock)register($"block_{LevelNames[level]}", new ConvBlock(ConvsPerLevel[level], input, channels, config.Normalization));
            if (level < levels - 1)
                downs[level] = (DownsamplingConvBlock)register($"block_{LevelNames[level]}_dw", new DownsamplingConvBlock(channels, 2 * channels, config.Normalization));
        }
    }

    public int Levels { get; }

    public bool HasDropout { get; }

    /// <summary>x1 … x_levels: (B, f·2^(k−1), X/2^(k−1), …). Dropout3d(0.5) on x5 in training when enabled.</summary>
    public Tensor[] Forward(Tensor input, bool training)
    {
        var features = new Tensor[Levels];
        var x = input;
        for (int level = 0; level < Levels; level++)
        {
            var feature = blocks[level].forward(x);
            if (level > 0) x.Dispose(); // the down-sampled input of this stage
            if (level == 4 && HasDropout && training)
            {
                var dropped = F.dropout3d(feature, 0.5, training: true);
                feature.Dispose();
                feature = dropped;
            }
            features[level] = feature;
            if (level < Levels - 1) x = downs[level].forward(feature);
        }
        return features;
    }
}

/// <summary>A 1×1×1 output convolution of a decoder, with an optional tanh.</summary>
internal sealed record DecoderHead(string Name, nn.Conv3d Conv, bool Tanh);

/// <summary>
/// A V-Net decoder (paper Eq. 3) starting at encoder level <c>startLevel</c> (5: the full high-level decoder
/// from x5; 4: the low-level decoder from x4; 3: the Table 9 variant from x3). Registered names follow the
/// official code: <c>block_five_up</c>, <c>block_six</c>, <c>block_six_up</c>, …, <c>block_nine</c>, then the heads.
/// </summary>
internal sealed class DecoderStages
{
    // Decoder stage k works at encoder level (10 − k): six ↔ 4, seven ↔ 3, eight ↔ 2, nine ↔ 1.
    private static readonly string[] StageNames = ["nine", "eight", "seven", "six"];
    private static readonly int[] ConvsAtLevel = [1, 2, 3, 3]; // levels 1..4

    private readonly ConvBlock[] blocks;          // index = level − 1, for levels 1 .. startLevel−1 (and startLevel when it is ≤ 4)
    private readonly UpsamplingBlock?[] ups;      // index = level − 1: up-sampling from level to level − 1
    private readonly DecoderHead[] heads;

    public DecoderStages(ModelConfig config, int startLevel, bool registerUnusedFiveUp, IReadOnlyList<(string Name, int Channels, bool Tanh)> headSpecs,
        Func<string, nn.Module<Tensor, Tensor>, nn.Module<Tensor, Tensor>> register)
    {
        if (startLevel is < 2 or > 5) throw new ArgumentOutOfRangeException(nameof(startLevel));
        StartLevel = startLevel;
        HasDropout = config.HasDropout;
        long f = config.BaseFilters;
        blocks = new ConvBlock[4];
        ups = new UpsamplingBlock?[5];
        if (startLevel == 5 || registerUnusedFiveUp)
            ups[4] = (UpsamplingBlock)register("block_five_up", new UpsamplingBlock(16 * f, 8 * f, config.Normalization, config.Upsampling));
        if (startLevel < 5) ups[4] = null; // registered for state-dict compatibility only, never run
        for (int level = Math.Min(startLevel, 4); level >= 1; level--)
        {
            long channels = f << (level - 1);
            string name = BlockName(level);
            blocks[level - 1] = (ConvBlock)register(name, new ConvBlock(ConvsAtLevel[level - 1], channels, channels, config.Normalization));
            if (level > 1)
                ups[level - 1] = (UpsamplingBlock)register($"{name}_up", new UpsamplingBlock(channels, channels / 2, config.Normalization, config.Upsampling));
        }
        heads = headSpecs.Select(h => new DecoderHead(h.Name, (nn.Conv3d)register(h.Name, new nn.Conv3d(f, h.Channels, 1)), h.Tanh)).ToArray();
    }

    public int StartLevel { get; }

    public bool HasDropout { get; }

    /// <summary>Official name of the convolution block at a level: 4 "block_six" … 1 "block_nine".</summary>
    public static string BlockName(int level) =>
        level is >= 1 and <= 4 ? $"block_{StageNames[level - 1]}" : throw new ArgumentOutOfRangeException(nameof(level), level, "decoder levels are 4 … 1");

    /// <summary>
    /// Decodes from <paramref name="features"/> (x1 … x_k, not disposed here) up to and including the convolution block
    /// at <paramref name="stopLevel"/> (4 = block_six … 1 = block_nine), before its up-sampling. Returns
    /// (B, f·2^(level−1), X/2^(level−1), Y/2^(level−1), Z/2^(level−1)).
    /// </summary>
    public Tensor DecodeTo(IReadOnlyList<Tensor> features, int stopLevel)
    {
        ArgumentNullException.ThrowIfNull(features);
        int first = Math.Min(StartLevel, 4);
        if (stopLevel < 1 || stopLevel > first)
            throw new ArgumentOutOfRangeException(nameof(stopLevel), stopLevel, $"a decoder that starts at level {StartLevel} has convolution blocks at levels {first} … 1");
        if (features.Count < StartLevel)
            throw new ArgumentException($"a decoder that starts at level {StartLevel} needs encoder features x1 … x{StartLevel}, got {features.Count}", nameof(features));
        Tensor x;
        int level;
        if (StartLevel == 5)
        {
            x = UpAndAdd(ups[4]!, features[4], features[3]);
            level = 4;
        }
        else
        {
            x = features[StartLevel - 1].alias();
            level = StartLevel;
        }
        while (true)
        {
            var decoded = blocks[level - 1].forward(x);
            x.Dispose();
            if (level == stopLevel) return decoded;
            x = UpAndAdd(ups[level - 1]!, decoded, features[level - 2]);
            decoded.Dispose();
            level--;
        }
    }

    /// <summary>
    /// Decodes from <paramref name="features"/> (x1 … x_k, not disposed here) and returns one tensor per head
    /// (B, channels, X, Y, Z); tanh applied where the head asks for it.
    /// </summary>
    public Tensor[] Forward(IReadOnlyList<Tensor> features, bool training)
    {
        var x = DecodeTo(features, 1);
        if (HasDropout && training)
        {
            var dropped = F.dropout3d(x, 0.5, training: true);
            x.Dispose();
            x = dropped;
        }
        var outputs = new Tensor[heads.Length];
        for (int i = 0; i < heads.Length; i++)
        {
            outputs[i] = LayerTrace.Run(heads[i].Conv, x);
            if (heads[i].Tanh) outputs[i].tanh_();
        }
        x.Dispose();
        return outputs;
    }

    private static Tensor UpAndAdd(UpsamplingBlock up, Tensor deeper, Tensor skip)
    {
        using var upsampled = up.forward(deeper);
        return upsampled.add(skip);
    }
}
