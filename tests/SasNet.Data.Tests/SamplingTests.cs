using SasNet.Data.Datasets;
using SasNet.Data.IO;
using SasNet.Data.Phantoms;
using SasNet.Data.Sampling;
using SasNet.Data.Transforms;
using SasNet.Geometry;

namespace SasNet.Data.Tests;

public class SamplingTests
{
    [Fact]
    public void OfficialPaddingAndOriginsMapPatchToCase()
    {
        var caseShape = new Shape3(10, 20, 7);
        var patch = new Shape3(12, 8, 8);
        // Padding applies to all axes once any is too small: X (12-10)//2+3 = 4, Y (8-20)//2+3 = -3 → 0, Z (8-7)//2+3 = 3.
        Assert.Equal((4, 0, 3), Cropping.OfficialPadding(caseShape, patch));
        Assert.Equal((0, 0, 0), Cropping.OfficialPadding(new Shape3(20, 20, 20), patch));
        var image = TestVolumes.Coordinates(caseShape);
        var rng = new Random(1);
        for (int t = 0; t < 50; t++)
        {
            var origin = Cropping.RandomOrigin(caseShape, patch, rng);
            Assert.InRange(origin.X, -4, 10 + 8 - 12 - 1 - 4 + 4); // start in [0, 18-12) minus pad 4
            Assert.InRange(origin.Y, 0, 20 - 8 - 1);
            Assert.InRange(origin.Z, -3, 7 + 6 - 8 - 1 - 3);
            var cropped = image.Crop(new Box3(origin.X, origin.Y, origin.Z, patch)).Data;
            for (int x = 0; x < patch.X; x++) for (int y = 0; y < patch.Y; y++) for (int z = 0; z < patch.Z; z++)
            {
                int cx = x + origin.X, cy = y + origin.Y, cz = z + origin.Z;
                float expected = caseShape.Contains(cx, cy, cz) ? image[cx, cy, cz] : 0f;
                Assert.Equal(expected, cropped[patch.Index(x, y, z)]);
            }
        }
        Assert.Equal((-1, 6, -1), Cropping.CenterOrigin(caseShape, patch)); // round(10/2)-4... X: 18-12=6 → 3-4; Y: 12/2; Z: 13-8=5 → round(2.5)=2 (half to even) - 3
    }

    [Fact]
    public void TwoStreamSamplerIsReproducibleAndFollowsTheProtocol()
    {
        var labeled = Enumerable.Range(0, 4).ToArray();
        var unlabeled = Enumerable.Range(4, 7).ToArray();
        var a = new TwoStreamBatchSampler(labeled, unlabeled, 4, 2, 1337).Batches().Take(40).ToArray();
        var b = new TwoStreamBatchSampler(labeled, unlabeled, 4, 2, 1337).Batches().Take(40).ToArray();
        var c = new TwoStreamBatchSampler(labeled, unlabeled, 4, 2, 1338).Batches().Take(40).ToArray();
        Assert.Equal(a.Select(p => string.Join(",", p.CaseIndices)), b.Select(p => string.Join(",", p.CaseIndices)));
        Assert.NotEqual(a.Select(p => string.Join(",", p.CaseIndices)), c.Select(p => string.Join(",", p.CaseIndices)));
        // Each epoch (2 batches) covers every labeled index exactly once.
        for (int e = 0; e < 20; e++)
        {
            var epoch = a.Where(p => p.Epoch == e).SelectMany(p => p.CaseIndices.Take(2)).OrderBy(i => i);
            Assert.Equal(labeled, epoch);
        }
        // Unlabeled indices are cycled: each block of 7 consecutive draws is a permutation.
        var stream = a.SelectMany(p => p.CaseIndices.Skip(2)).ToArray();
        for (int start = 0; start + 7 <= stream.Length; start += 7) Assert.Equal(unlabeled, stream.Skip(start).Take(7).OrderBy(i => i));
    }

    [Hdf5Fact]
    public void PrefetchedBatchesEqualSynchronousOnesAndDisposeStopsWork()
    {
        using var dir = new TempDirectory();
        PhantomDataset.Generate(dir.Path, PhantomScale.Quick, 6, 0, 5);
        var split = DatasetCatalog.Phantoms(dir.Path).Split(labeledCount: 2, validationCount: 1);
        var cases = split.TrainingCases();
        var options = new AugmentationOptions(new Shape3(48, 48, 32), RotFlip: true, View: ViewVariance.Permute);
        var pipeline = new PatchPipeline(cases, options);
        TrainingBatch[] Run(int prefetch)
        {
            var sampler = new TwoStreamBatchSampler(split.LabeledIndices, split.UnlabeledIndices, 4, 2, 1337);
            using var loader = new BatchLoader(pipeline, sampler, seed: 99, prefetch);
            return Enumerable.Range(0, 6).Select(_ => loader.Next()).ToArray();
        }
        var sync = Run(0);
        var ahead = Run(3);
        for (int b = 0; b < sync.Length; b++)
        {
            Assert.Equal(sync[b].Images, ahead[b].Images);
            Assert.Equal(sync[b].Labels, ahead[b].Labels);
            Assert.Equal(sync[b].Samples, ahead[b].Samples);
        }
        var first = sync[0];
        Assert.Equal(new long[] { 4, 1, 48, 48, 32 }, first.ImageTensorShape);
        Assert.Equal(2, first.LabeledCount);
        Assert.True(first.Samples[0].IsLabeled && !first.Samples[3].IsLabeled);

        // Provenance: undoing view and rot/flip and shifting by the origin gives back the case voxels.
        foreach (var batch in sync)
        {
            for (int s = 0; s < batch.Count; s++)
            {
                var info = batch.Samples[s];
                var patch = batch.Images.AsSpan(s * batch.PatchShape.Count, batch.PatchShape.Count);
                var crop = info.ViewToCrop<float>(patch);
                var source = cases.Load(info.CaseIndex);
                var expected = source.Image.Crop(new Box3(info.CropOrigin.X, info.CropOrigin.Y, info.CropOrigin.Z, info.CropShape)).Data;
                Assert.Equal(expected, crop);
            }
        }

        // Disposing while workers run leaves nothing running and later use is refused.
        var sampler2 = new TwoStreamBatchSampler(split.LabeledIndices, split.UnlabeledIndices, 4, 2, 1);
        var loader2 = new BatchLoader(pipeline, sampler2, seed: 1, prefetch: 4);
        loader2.Next();
        loader2.Dispose();
        Assert.Throws<ObjectDisposedException>(() => loader2.Next());
    }

    [Hdf5Fact]
    public void LoadingErrorsSurfaceFromTheLoader()
    {
        using var dir = new TempDirectory();
        var shape = new Shape3(10, 10, 10);
        Hdf5Case.Write(dir.File("good.h5"), TestVolumes.Random(shape, 1), TestVolumes.Ball(shape, 3));
        var bad = TestVolumes.Random(shape, 2);
        bad[1, 2, 3] = float.NaN;
        Hdf5Case.Write(dir.File("nan.h5"), bad, TestVolumes.Ball(shape, 3));
        var cases = new CaseCollection("t", [new CaseFile("good", dir.File("good.h5")), new CaseFile("nan", dir.File("nan.h5"))]);
        var pipeline = new PatchPipeline(cases, new AugmentationOptions(new Shape3(8, 8, 8)));
        var sampler = new TwoStreamBatchSampler([0], [1], 2, 1, 0);
        using var loader = new BatchLoader(pipeline, sampler, 0, prefetch: 2);
        var e = Assert.Throws<NonFiniteValueException>(() => loader.Next());
        Assert.Equal((1, 2, 3), e.FirstVoxel);
    }
}
