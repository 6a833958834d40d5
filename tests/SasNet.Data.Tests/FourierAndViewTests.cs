using System.Numerics;
using SasNet.Data.Fourier;
using SasNet.Data.Transforms;
using SasNet.Geometry;

namespace SasNet.Data.Tests;

public class FourierAndViewTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(12)]
    [InlineData(45)]
    [InlineData(80)]
    [InlineData(96)]
    [InlineData(112)]
    [InlineData(121)]
    [InlineData(97)]   // prime → Bluestein
    [InlineData(74)]   // 2·37 → Bluestein
    public void FftMatchesDirectDft(int n)
    {
        var rng = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray();
        var expected = new Complex[n];
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++)
                expected[k] += x[j] * Complex.FromPolarCoordinates(1, -2 * Math.PI * ((long)j * k % n) / n);
        var actual = (Complex[])x.Clone();
        var plan = FftPlan.For(n);
        plan.Forward(actual);
        for (int k = 0; k < n; k++) Assert.True((actual[k] - expected[k]).Magnitude < 1e-9 * n, $"n={n} k={k}: {actual[k]} vs {expected[k]}");
        plan.Inverse(actual);
        for (int k = 0; k < n; k++) Assert.True((actual[k] - x[k]).Magnitude < 1e-12 * n);
        Assert.Equal(n == 97 || n == 74, plan.UsesBluestein);
    }

    [Fact]
    public void Fft3DRoundTripsAndMatchesSeparableDefinition()
    {
        int nx = 6, ny = 5, nz = 4;
        var rng = new Random(2);
        var data = Enumerable.Range(0, nx * ny * nz).Select(_ => new Complex(rng.NextDouble(), 0)).ToArray();
        var spectrum = (Complex[])data.Clone();
        Fft3D.Forward(spectrum, nx, ny, nz);
        // One coefficient by the 3D definition.
        int u = 2, v = 3, w = 1;
        Complex direct = 0;
        for (int x = 0; x < nx; x++) for (int y = 0; y < ny; y++) for (int z = 0; z < nz; z++)
            direct += data[(x * ny + y) * nz + z] * Complex.FromPolarCoordinates(1, -2 * Math.PI * ((double)u * x / nx + (double)v * y / ny + (double)w * z / nz));
        Assert.True((spectrum[(u * ny + v) * nz + w] - direct).Magnitude < 1e-10);
        Fft3D.Inverse(spectrum, nx, ny, nz);
        for (int i = 0; i < data.Length; i++) Assert.True((spectrum[i] - data[i]).Magnitude < 1e-12);
    }

    [Theory]
    [InlineData(16, 16, 12, 0, 1)]
    [InlineData(12, 12, 12, 1, 2)]
    [InlineData(12, 12, 12, 0, 2)]
    public void FourierPermuteEqualsPermute(int x, int y, int z, int a, int b)
    {
        var shape = new Shape3(x, y, z);
        var image = TestVolumes.Random(shape, 11).Data;
        var swap = AxisTransform.Swap(a, b);
        var spatial = swap.Apply<float>(image, shape);
        var fourier = ViewVariance.PermuteInFourierDomain(image, shape, swap);
        double maxAbs = spatial.Max(v => Math.Abs(v));
        for (int i = 0; i < spatial.Length; i++) Assert.True(Math.Abs(spatial[i] - fourier[i]) <= 1e-5 * maxAbs, $"voxel {i}");
    }

    [Fact]
    public void FourierRotateByZeroIsIdentityAndBy90IsRot90()
    {
        var shape = new Shape3(12, 12, 6);
        var image = TestVolumes.Random(shape, 4).Data;
        var same = ViewVariance.RotateInFourierDomain(image, shape, 0, RotationPlane.XY);
        for (int i = 0; i < image.Length; i++) Assert.True(Math.Abs(same[i] - image[i]) < 1e-5);

        var rotated = ViewVariance.RotateInFourierDomain(image, shape, 90, RotationPlane.XY);
        var expected = NumpyRot90(image, shape);
        for (int i = 0; i < image.Length; i++) Assert.True(Math.Abs(rotated[i] - expected[i]) < 1e-5, $"voxel {i}: {rotated[i]} vs {expected[i]}");
        var label = Enumerable.Range(0, shape.Count).Select(i => (byte)(i % 251)).ToArray();
        Assert.Equal(AxisTransform.Rot90(1).Apply<byte>(label, shape), ViewVariance.RotateNearest<byte>(label, shape, 90, RotationPlane.XY));
    }

    [Fact]
    public void FourierRotateSmallAngleMovesContentLikeTheLabel()
    {
        // A smooth blob off-centre: after a 30° rotation the image's intensity centroid should follow the label's.
        var shape = new Shape3(32, 32, 4);
        var label = new Volume<byte>(shape);
        var image = new Volume<float>(shape);
        for (int x = 0; x < 32; x++) for (int y = 0; y < 32; y++) for (int z = 0; z < 4; z++)
        {
            double d2 = (x - 22) * (x - 22) + (y - 15.5) * (y - 15.5);
            image[x, y, z] = (float)Math.Exp(-d2 / 8);
            label[x, y, z] = d2 <= 9 ? (byte)1 : (byte)0;
        }
        var rotatedImage = ViewVariance.RotateInFourierDomain(image.Data, shape, 30, RotationPlane.XY);
        var rotatedLabel = ViewVariance.RotateNearest<byte>(label.Data, shape, 30, RotationPlane.XY);
        (double X, double Y) Centroid(Func<int, double> weight)
        {
            double sx = 0, sy = 0, sw = 0;
            for (int i = 0; i < shape.Count; i++) { double w = Math.Max(weight(i), 0); sx += w * (i / (shape.Y * shape.Z)); sy += w * (i / shape.Z % shape.Y); sw += w; }
            return (sx / sw, sy / sw);
        }
        var ci = Centroid(i => rotatedImage[i] > 0.3 ? rotatedImage[i] : 0); // ignore low ringing spread over the patch
        var cl = Centroid(i => rotatedLabel[i]);
        // k-space bilinear interpolation is approximate for content far from the centre (here 6.5 voxels): allow 1.5 voxels.
        Assert.InRange(ci.X - cl.X, -1.5, 1.5);
        Assert.InRange(ci.Y - cl.Y, -1.5, 1.5);
        Assert.InRange(cl.X, 20.5, 21.8); // (22, 15.5) turned 30° about (15.5, 15.5) → (21.13, 18.75)
        Assert.InRange(cl.Y, 18.1, 19.4);
        Assert.True(ci.Y > 17.5, $"centroid should have moved towards +Y, got {ci}");
    }

    private static float[] NumpyRot90(float[] m, Shape3 s)
    {
        // numpy rot90(m, 1) over axes (0, 1): result[i, j] = m[j, N1 - 1 - i], result shape (N1, N0, N2).
        var result = new float[m.Length];
        var outShape = new Shape3(s.Y, s.X, s.Z);
        for (int i = 0; i < outShape.X; i++) for (int j = 0; j < outShape.Y; j++) for (int k = 0; k < s.Z; k++)
            result[outShape.Index(i, j, k)] = m[s.Index(j, s.Y - 1 - i, k)];
        return result;
    }

    [Fact]
    public void AxisTransformsMatchNumpyAndInvert()
    {
        var shape = new Shape3(5, 3, 2);
        var m = TestVolumes.Coordinates(shape).Data;
        Assert.Equal(NumpyRot90(m, shape), AxisTransform.Rot90(1).Apply<float>(m, shape));
        var twice = AxisTransform.Rot90(1).Then(AxisTransform.Rot90(1));
        Assert.Equal(AxisTransform.Rot90(2).Apply<float>(m, shape), twice.Apply<float>(m, shape));
        Assert.Equal(AxisTransform.Rot90(3).Apply<float>(m, shape), twice.Then(AxisTransform.Rot90(1)).Apply<float>(m, shape));
        // flip along axis 0 then back
        var flip = AxisTransform.FlipAxis(0);
        var flipped = flip.Apply<float>(m, shape);
        Assert.Equal(m[shape.Index(4, 1, 1)], flipped[shape.Index(0, 1, 1)]);
        for (int k = 0; k < 4; k++)
            for (int axis = 0; axis < 2; axis++)
            {
                var t = AxisTransform.Rot90(k).ThenFlip(axis);
                var outShape = t.OutputShape(shape);
                Assert.Equal(m, t.Inverse().Apply<float>(t.Apply<float>(m, shape), outShape));
            }
    }

    [Fact]
    public void ViewRecordMapsBackToCropOrientation()
    {
        var shape = new Shape3(8, 8, 8);
        var image = TestVolumes.Coordinates(shape).Data;
        var label = new byte[shape.Count];
        var vve = ViewVariance.Permute.WithProtocol(ViewProtocol.SwapYZOrXZ);
        var seen = new HashSet<string>();
        for (int s = 0; s < 30; s++)
        {
            var (viewImage, _, view) = vve.Apply(image, label, shape, new Random(s));
            seen.Add(view.Permutation.ToString());
            Assert.Equal(image, view.ToOriginal<float>(viewImage, shape));
        }
        Assert.Equal(3, seen.Count);
        Assert.Throws<ArgumentException>(() => vve.Validate(new Shape3(112, 112, 80)));
        ViewVariance.Permute.Validate(new Shape3(112, 112, 80));
    }
}
