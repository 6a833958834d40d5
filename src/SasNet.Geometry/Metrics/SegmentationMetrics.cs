namespace SasNet.Geometry;

/// <summary>
/// Overlap and surface-distance scores of one case (medpy semantics; docs/method.md §8). Dice and Jaccard are
/// fractions in [0, 1]; HD95, ASD and ASSD are in voxels or in the units of the spacing used.
/// </summary>
/// <param name="Case">Case identifier shown in tables.</param>
/// <param name="Dice">2|P∩G| / (|P| + |G|).</param>
/// <param name="Jaccard">|P∩G| / |P∪G|.</param>
/// <param name="Hd95">95th percentile (linear interpolation) of both directed surface-distance sets pooled.</param>
/// <param name="Asd">Mean distance from the prediction's surface voxels to the ground-truth surface (medpy <c>asd</c>).</param>
/// <param name="Assd">Mean of the two directed average surface distances (medpy <c>assd</c>).</param>
/// <param name="PredictionEmpty">The prediction had no foreground voxel.</param>
/// <param name="GroundTruthEmpty">The ground truth had no foreground voxel.</param>
public sealed record CaseMetrics(
    string Case, double Dice, double Jaccard, double Hd95, double Asd, double Assd,
    bool PredictionEmpty = false, bool GroundTruthEmpty = false)
{
    /// <summary>
    /// True when the scores are the published evaluations' convention for an empty prediction or empty
    /// ground truth (all four scores 0), not measured values.
    /// </summary>
    public bool ScoredByEmptyConvention => PredictionEmpty || GroundTruthEmpty;
}

/// <summary>Computes <see cref="CaseMetrics"/> from binary masks.</summary>
/// <remarks>
/// Masks are flat arrays in C order over (X, Y, Z), Z fastest; any nonzero byte is foreground.
/// Surfaces are <see cref="Boundaries.Surface(ReadOnlySpan{byte}, Shape3)"/> (mask XOR its 6-neighbour
/// erosion, array edges count as surface). Directed surface distances are read off an exact EDT of
/// the other mask's surface, so a case costs a few linear passes, not a pairwise search.
/// </remarks>
public static class SegmentationMetrics
{
    /// <summary>
    /// Scores <paramref name="prediction"/> against <paramref name="groundTruth"/> (both of shape
    /// <paramref name="shape"/>). Distances are in voxels unless <paramref name="spacing"/> is given.
    /// If either mask is empty the result is (0, 0, 0, 0) with the matching flag set, as in the
    /// published SASNet/UA-MT evaluations (medpy itself would raise there).
    /// </summary>
    public static CaseMetrics Evaluate(ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> groundTruth, Shape3 shape,
        Spacing3? spacing = null, string caseName = "")
    {
        Guard.Shape(shape, nameof(shape));
        Guard.Length(prediction.Length, shape.Count, $"a prediction of shape {shape}", nameof(prediction));
        Guard.Length(groundTruth.Length, shape.Count, $"a ground truth of shape {shape}", nameof(groundTruth));
        var voxelSpacing = spacing ?? Spacing3.Unit;
        Guard.Spacing(voxelSpacing, nameof(spacing));
        ArgumentNullException.ThrowIfNull(caseName);

        long predicted = 0, truth = 0, overlap = 0;
        for (int i = 0; i < prediction.Length; i++)
        {
            bool p = prediction[i] != 0, g = groundTruth[i] != 0;
            if (p) predicted++;
            if (g) truth++;
            if (p && g) overlap++;
        }
        if (predicted == 0 || truth == 0)
            return new CaseMetrics(caseName, 0, 0, 0, 0, 0, PredictionEmpty: predicted == 0, GroundTruthEmpty: truth == 0);

        double dice = 2.0 * overlap / (predicted + truth);
        double jaccard = (double)overlap / (predicted + truth - overlap);

        var distances = DirectedSurfaceDistances(prediction, groundTruth, shape, voxelSpacing);
        double asdPredToTruth = Mean(distances.PredictionToTruth);
        double asdTruthToPred = Mean(distances.TruthToPrediction);
        var pooled = new double[distances.PredictionToTruth.Length + distances.TruthToPrediction.Length];
        distances.PredictionToTruth.CopyTo(pooled, 0);
        distances.TruthToPrediction.CopyTo(pooled, distances.PredictionToTruth.Length);
        double hd95 = Percentile(pooled, 95);
        return new CaseMetrics(caseName, dice, jaccard, hd95, asdPredToTruth, (asdPredToTruth + asdTruthToPred) / 2);
    }

    /// <summary>Scores two mask volumes of the same shape, using <paramref name="prediction"/>'s spacing when <paramref name="useSpacing"/> is set.</summary>
    public static CaseMetrics Evaluate(Volume<byte> prediction, Volume<byte> groundTruth, bool useSpacing = false, string caseName = "")
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(groundTruth);
        Guard.SameShape(prediction.Shape, groundTruth.Shape, nameof(groundTruth));
        return Evaluate(prediction.Data, groundTruth.Data, prediction.Shape, useSpacing ? prediction.Spacing : null, caseName);
    }

    /// <summary>
    /// Both directed surface-distance sets: for each surface voxel of the prediction (in C order) the
    /// distance to the nearest ground-truth surface voxel, and vice versa. Both masks must be non-empty.
    /// </summary>
    public static (double[] PredictionToTruth, double[] TruthToPrediction) DirectedSurfaceDistances(
        ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> groundTruth, Shape3 shape, Spacing3 spacing)
    {
        Guard.Shape(shape, nameof(shape));
        Guard.Spacing(spacing, nameof(spacing));
        Guard.Length(prediction.Length, shape.Count, $"a prediction of shape {shape}", nameof(prediction));
        Guard.Length(groundTruth.Length, shape.Count, $"a ground truth of shape {shape}", nameof(groundTruth));
        var predictionBox = Box3.Bounding(prediction, shape);
        var truthBox = Box3.Bounding(groundTruth, shape);
        if (predictionBox is null || truthBox is null)
            throw new ArgumentException("surface distances need a non-empty prediction and ground truth");

        // Everything happens inside the union of the two bounding boxes: outside it both masks are
        // background, so surfaces (with the crop edge treated as background) and nearest-surface
        // distances are the same there as in the whole grid, and the EDT touches far fewer voxels.
        var box = predictionBox.Value.Union(truthBox.Value);
        var size = box.Size;
        int n = size.Count;
        var cropped = new byte[2 * n];
        for (int x = 0; x < size.X; x++)
            for (int y = 0; y < size.Y; y++)
            {
                int source = box.GridIndex(shape, x, y, 0);
                prediction.Slice(source, size.Z).CopyTo(cropped.AsSpan(size.Index(x, y, 0), size.Z));
                groundTruth.Slice(source, size.Z).CopyTo(cropped.AsSpan(n + size.Index(x, y, 0), size.Z));
            }

        // Surfaces of both masks side by side as a batch of two, so one parallel EDT serves both directions.
        var surfaces = new byte[2 * n];
        int predictionSurfaceCount = Boundaries.Mark(cropped.AsSpan(0, n), size, outsideIsBackground: true, surfaces.AsSpan(0, n));
        int truthSurfaceCount = Boundaries.Mark(cropped.AsSpan(n, n), size, outsideIsBackground: true, surfaces.AsSpan(n, n));

        var distance = new float[2 * n];
        for (int i = 0; i < distance.Length; i++) distance[i] = surfaces[i] != 0 ? 0f : float.PositiveInfinity;
        EuclideanDistance.TransformSquaredInPlace(distance, 2, size, spacing, takeSquareRoot: true);

        // Box voxels in C order visit the grid's voxels in C order too, so the sets keep grid order.
        var predictionToTruth = new double[predictionSurfaceCount];
        var truthToPrediction = new double[truthSurfaceCount];
        for (int i = 0, a = 0, b = 0; i < n; i++)
        {
            if (surfaces[i] != 0) predictionToTruth[a++] = distance[n + i];     // to the GT surface
            if (surfaces[n + i] != 0) truthToPrediction[b++] = distance[i];     // to the prediction surface
        }
        return (predictionToTruth, truthToPrediction);
    }

    /// <summary>
    /// The q-th percentile (0 ≤ q ≤ 100) with numpy's default linear interpolation between the two
    /// nearest order statistics: rank = q/100·(n − 1). Reorders <paramref name="values"/>.
    /// </summary>
    public static double Percentile(double[] values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0) throw new ArgumentException("percentile of an empty set", nameof(values));
        if (!(q >= 0 && q <= 100)) throw new ArgumentException($"percentile must be in [0, 100], got {q}", nameof(q));
        Array.Sort(values);
        double rank = q / 100 * (values.Length - 1);
        int lower = (int)Math.Floor(rank);
        int upper = Math.Min(lower + 1, values.Length - 1);
        return values[lower] + (values[upper] - values[lower]) * (rank - lower);
    }

    private static double Mean(double[] values)
    {
        double sum = 0;
        foreach (double v in values) sum += v;
        return sum / values.Length;
    }
}
