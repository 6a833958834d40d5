using System.Numerics;
using SasNet.Data.Fourier;
using SasNet.Geometry;

namespace SasNet.Data.Transforms;

/// <summary>How view-variance enhancement re-orients a patch (paper §3.3; docs/method.md §4).</summary>
public enum ViewVarianceMode
{
    /// <summary>No re-orientation.</summary>
    None,

    /// <summary>Exact spatial axis permutation (no FFT): the fast path, equal to <see cref="FourierPermute"/>.</summary>
    Permute,

    /// <summary>The literal path of the paper: 3D FFT → permute the spectrum → inverse FFT → real part.</summary>
    FourierPermute,

    /// <summary>Paper Eq. (10): rotate the centred spectrum by θ in a plane (bilinear), inverse FFT, real part.</summary>
    FourierRotate,
}

/// <summary>Which axis swaps VVE draws from (the official SASNet code's per-dataset choice).</summary>
public enum ViewProtocol
{
    /// <summary>LA: with p = 1/2 swap X↔Y, else keep (the 112×112×80 patch keeps its shape).</summary>
    SwapXY,

    /// <summary>Pancreas/BraTS: with p = 1/3 each swap Y↔Z, swap X↔Z, or keep (needs a cubic patch, 96³ officially).</summary>
    SwapYZOrXZ,
}

/// <summary>A plane of two axes, rotating from the first towards the second.</summary>
public enum RotationPlane
{
    /// <summary>Axes 0 and 1.</summary>
    XY,

    /// <summary>Axes 0 and 2.</summary>
    XZ,

    /// <summary>Axes 1 and 2.</summary>
    YZ,
}

/// <summary>
/// The view a sample was given: an axis permutation (exact, invertible) and optionally a rotation by
/// <see cref="RotationDegrees"/> in <see cref="Plane"/> about the patch centre. SAR uses
/// <see cref="ToOriginal{T}"/> to bring view-shaped confidences back to the crop's orientation.
/// </summary>
/// <param name="Permutation">Axis map from the crop orientation to the view.</param>
/// <param name="RotationDegrees">Rotation applied after the permutation (0 for the permutation modes).</param>
/// <param name="Plane">Plane of the rotation.</param>
public readonly record struct ViewRecord(AxisTransform Permutation, double RotationDegrees = 0, RotationPlane Plane = RotationPlane.XY)
{
    /// <summary>The unchanged view.</summary>
    public static ViewRecord Identity => new(AxisTransform.Identity);

    /// <summary>
    /// Maps a view-shaped array (C order over <paramref name="viewShape"/>) back to the crop orientation:
    /// undoes the rotation (nearest neighbour, circular like the forward rotation; exact for multiples of
    /// 90° in a square plane) and then the permutation (exact).
    /// </summary>
    public T[] ToOriginal<T>(ReadOnlySpan<T> viewArray, Shape3 viewShape) where T : unmanaged
    {
        var unrotated = RotationDegrees == 0 ? viewArray.ToArray() : ViewVariance.RotateNearest(viewArray, viewShape, -RotationDegrees, Plane);
        return Permutation.Inverse().Apply<T>(unrotated, viewShape);
    }
}

/// <summary>
/// View Variance Enhancement (paper §3.3, Eqs. 9–11; docs/method.md §4), applied after the random crop. Use
/// <see cref="Permute"/> (default, exact, no FFT), <see cref="FourierPermute"/> (the literal FFT path, equal
/// to Permute up to rounding) or <see cref="FourierRotate"/>; <see cref="WithProtocol"/> selects the
/// dataset's swap set (LA: X↔Y with p = 1/2; Pancreas/BraTS: Y↔Z, X↔Z or keep, p = 1/3 each).
/// </summary>
public sealed class ViewVariance
{
    private ViewVariance(ViewVarianceMode mode, ViewProtocol protocol, double degrees, RotationPlane plane)
    {
        Mode = mode;
        Protocol = protocol;
        AngleDegrees = degrees;
        Plane = plane;
    }

    /// <summary>No VVE.</summary>
    public static ViewVariance None { get; } = new(ViewVarianceMode.None, ViewProtocol.SwapXY, 0, RotationPlane.XY);

    /// <summary>Exact axis permutation, LA protocol (switch with <see cref="WithProtocol"/>).</summary>
    public static ViewVariance Permute { get; } = new(ViewVarianceMode.Permute, ViewProtocol.SwapXY, 0, RotationPlane.XY);

    /// <summary>FFT → permuted spectrum → inverse FFT → real part, LA protocol.</summary>
    public static ViewVariance FourierPermute { get; } = new(ViewVarianceMode.FourierPermute, ViewProtocol.SwapXY, 0, RotationPlane.XY);

    /// <summary>
    /// Paper Eq. (10): with p = 1/2 the spectrum is rotated by <paramref name="degrees"/> in
    /// <paramref name="plane"/> (else the patch is kept); the label is rotated the same way with nearest neighbour.
    /// </summary>
    public static ViewVariance FourierRotate(double degrees, RotationPlane plane = RotationPlane.XY) =>
        new(ViewVarianceMode.FourierRotate, ViewProtocol.SwapXY, degrees, plane);

    /// <summary>The mode.</summary>
    public ViewVarianceMode Mode { get; }

    /// <summary>The swap set for the permutation modes.</summary>
    public ViewProtocol Protocol { get; }

    /// <summary>Rotation angle θ of <see cref="ViewVarianceMode.FourierRotate"/>, degrees.</summary>
    public double AngleDegrees { get; }

    /// <summary>Rotation plane of <see cref="ViewVarianceMode.FourierRotate"/>.</summary>
    public RotationPlane Plane { get; }

    /// <summary>The same mode with another swap set.</summary>
    public ViewVariance WithProtocol(ViewProtocol protocol) => new(Mode, protocol, AngleDegrees, Plane);

    /// <summary>The permutations the protocol draws from (uniformly).</summary>
    public IReadOnlyList<AxisTransform> Choices => Protocol == ViewProtocol.SwapXY
        ? [AxisTransform.Identity, AxisTransform.Swap(0, 1)]
        : [AxisTransform.Swap(1, 2), AxisTransform.Swap(0, 2), AxisTransform.Identity];

    /// <summary>
    /// Throws when a view this instance may draw would change the patch shape: batches need one shape, and a
    /// swap of axes of different sizes would (e.g. Y↔Z on 112×112×80). The official code avoids it with cubic
    /// 96³ patches for Pancreas/BraTS and an X↔Y-only swap on LA's 112×112×80.
    /// </summary>
    public void Validate(Shape3 patch)
    {
        if (Mode is ViewVarianceMode.Permute or ViewVarianceMode.FourierPermute)
        {
            foreach (var choice in Choices)
                if (choice.OutputShape(patch) != patch)
                    throw new ArgumentException($"VVE protocol {Protocol} may apply {choice}, which turns the patch {patch} into {choice.OutputShape(patch)}; " +
                        "use a cubic patch (the official code crops 96³ for Pancreas/BraTS) or the SwapXY protocol with equal X and Y sizes");
        }
    }

    /// <summary>
    /// Draws a view and applies it to a cropped patch. Image and label are C order over <paramref name="patch"/>;
    /// the returned arrays are new (inputs are not modified) and have the patch's shape (see <see cref="Validate"/>).
    /// Draw: one <see cref="Random.Next(int)"/> over the choices (permutation modes) or over {keep, rotate}.
    /// </summary>
    public (float[] Image, byte[] Label, ViewRecord View) Apply(float[] image, byte[] label, Shape3 patch, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        switch (Mode)
        {
            case ViewVarianceMode.None:
                return ((float[])image.Clone(), (byte[])label.Clone(), ViewRecord.Identity);
            case ViewVarianceMode.Permute:
            case ViewVarianceMode.FourierPermute:
                {
                    var choice = Choices[random.Next(Choices.Count)];
                    var permutedLabel = choice.Apply<byte>(label, patch);
                    var permutedImage = Mode == ViewVarianceMode.Permute || choice.IsIdentity
                        ? choice.Apply<float>(image, patch)
                        : PermuteInFourierDomain(image, patch, choice);
                    return (permutedImage, permutedLabel, new ViewRecord(choice));
                }
            default:
                {
                    if (random.Next(2) == 0) return ((float[])image.Clone(), (byte[])label.Clone(), ViewRecord.Identity);
                    return (RotateInFourierDomain(image, patch, AngleDegrees, Plane), RotateNearest<byte>(label, patch, AngleDegrees, Plane),
                        new ViewRecord(AxisTransform.Identity, AngleDegrees, Plane));
                }
        }
    }

    /// <summary>
    /// 3D FFT of <paramref name="image"/>, the spectrum permuted by <paramref name="permutation"/>, inverse FFT,
    /// real part. Mathematically equal to permuting the image (a permutation of the spatial axes permutes the
    /// frequency axes the same way); kept to show the paper's pipeline literally.
    /// </summary>
    public static float[] PermuteInFourierDomain(float[] image, Shape3 shape, AxisTransform permutation)
    {
        var spectrum = ToComplex(image);
        Fft3D.Forward(spectrum, shape.X, shape.Y, shape.Z);
        var permuted = permutation.Apply<Complex>(spectrum, shape);
        var outShape = permutation.OutputShape(shape);
        Fft3D.Inverse(permuted, outShape.X, outShape.Y, outShape.Z);
        return RealPart(permuted);
    }

    /// <summary>
    /// Paper Eq. (10): rotates the centred spectrum by <paramref name="degrees"/> in <paramref name="plane"/>,
    /// interpolating real and imaginary parts bilinearly, then inverse FFT and real part. Frequencies are in
    /// cycles per voxel, so non-square planes rotate physically. Two choices of ours, both documented here:
    /// (1) the rotation is about the patch centre, like the label's: the patch is rolled so its centre sits at
    /// index 0 before the FFT (and back after), and the remaining half-voxel offset c is applied as the phase
    /// ramp e^{2πi f·(Rc − c)} (rotating the spectrum of the unrolled patch would turn it about voxel 0);
    /// (2) the spectrum is sampled periodically (the DFT is periodic), so the rotation is circular: for 90° in a
    /// square plane the result equals numpy's rot90 exactly up to rounding, and θ = 0 is the identity.
    /// </summary>
    public static float[] RotateInFourierDomain(float[] image, Shape3 shape, double degrees, RotationPlane plane)
    {
        var (a, b) = Axes(plane);
        int na = shape[a], nb = shape[b];
        // Roll the patch centre to index 0 first: the spectrum of content near the origin varies slowly, so
        // bilinear interpolation in k-space stays accurate; the residual half-voxel centre goes in the ramp.
        int shiftA = na / 2, shiftB = nb / 2;
        var spectrum = ToComplex(Roll(Roll(image, shape, a, -shiftA), shape, b, -shiftB));
        Fft3D.Forward(spectrum, shape.X, shape.Y, shape.Z);
        double theta = degrees * Math.PI / 180, cos = Math.Cos(theta), sin = Math.Sin(theta);
        double ca = (na - 1) / 2.0 - shiftA, cb = (nb - 1) / 2.0 - shiftB;
        // Shift d = R·c − c of the rotation about the centre, for the phase ramp.
        double da = cos * ca - sin * cb - ca, db = sin * ca + cos * cb - cb;
        var rotated = new Complex[spectrum.Length];
        Parallel.For(0, shape.X, x =>
        {
            Span<int> k = stackalloc int[3];
            k[0] = x;
            for (int y = 0; y < shape.Y; y++)
            {
                k[1] = y;
                for (int z = 0; z < shape.Z; z++)
                {
                    k[2] = z;
                    double fa = Signed(k[a], na) / (double)na, fb = Signed(k[b], nb) / (double)nb;
                    // Source frequency R⁻¹ f, back in index units.
                    double sa = (cos * fa + sin * fb) * na, sb = (-sin * fa + cos * fb) * nb;
                    var value = Bilinear(spectrum, shape, k, a, b, sa, sb);
                    double phase = 2 * Math.PI * (fa * da + fb * db);
                    rotated[shape.Index(x, y, z)] = value * new Complex(Math.Cos(phase), Math.Sin(phase));
                }
            }
        });
        Fft3D.Inverse(rotated, shape.X, shape.Y, shape.Z);
        return Roll(Roll(RealPart(rotated), shape, a, shiftA), shape, b, shiftB);
    }

    /// <summary>
    /// Rotates a volume by <paramref name="degrees"/> in <paramref name="plane"/> about the patch centre with
    /// nearest-neighbour sampling and circular wrap (matching <see cref="RotateInFourierDomain"/>); used for labels.
    /// </summary>
    public static T[] RotateNearest<T>(ReadOnlySpan<T> volume, Shape3 shape, double degrees, RotationPlane plane) where T : unmanaged
    {
        var (a, b) = Axes(plane);
        int na = shape[a], nb = shape[b];
        double theta = degrees * Math.PI / 180, cos = Math.Cos(theta), sin = Math.Sin(theta);
        double ca = (na - 1) / 2.0, cb = (nb - 1) / 2.0;
        var source = volume.ToArray();
        var result = new T[source.Length];
        Parallel.For(0, shape.X, x =>
        {
            Span<int> p = stackalloc int[3];
            for (int y = 0; y < shape.Y; y++)
            {
                for (int z = 0; z < shape.Z; z++)
                {
                    p[0] = x; p[1] = y; p[2] = z;
                    double pa = p[a] - ca, pb = p[b] - cb;
                    // Inverse rotation R⁻¹(p − c) + c; the rounding guard keeps exact quarter turns exact.
                    p[a] = Wrap((int)Math.Round(cos * pa + sin * pb + ca + 1e-9), na);
                    p[b] = Wrap((int)Math.Round(-sin * pa + cos * pb + cb + 1e-9), nb);
                    result[shape.Index(x, y, z)] = source[shape.Index(p[0], p[1], p[2])];
                }
            }
        });
        return result;
    }

    private static Complex Bilinear(Complex[] spectrum, Shape3 shape, ReadOnlySpan<int> at, int a, int b, double sa, double sb)
    {
        int ia = (int)Math.Floor(sa), ib = (int)Math.Floor(sb);
        double wa = sa - ia, wb = sb - ib;
        // Snap weights that are rounding noise so exact grid rotations stay exact.
        if (wa < 1e-9) wa = 0; else if (wa > 1 - 1e-9) { wa = 0; ia++; }
        if (wb < 1e-9) wb = 0; else if (wb > 1 - 1e-9) { wb = 0; ib++; }
        Span<int> stride = [shape.Y * shape.Z, shape.Z, 1];
        int lineBase = at[0] * stride[0] + at[1] * stride[1] + at[2] * stride[2] - at[a] * stride[a] - at[b] * stride[b];
        int na = shape[a], nb = shape[b], sA = stride[a], sB = stride[b];
        int a0 = Wrap(ia, na) * sA, a1 = Wrap(ia + 1, na) * sA, b0 = Wrap(ib, nb) * sB, b1 = Wrap(ib + 1, nb) * sB;
        var v = spectrum[lineBase + a0 + b0] * ((1 - wa) * (1 - wb));
        if (wa > 0) v += spectrum[lineBase + a1 + b0] * (wa * (1 - wb));
        if (wb > 0) v += spectrum[lineBase + a0 + b1] * ((1 - wa) * wb);
        if (wa > 0 && wb > 0) v += spectrum[lineBase + a1 + b1] * (wa * wb);
        return v;
    }

    /// <summary>Circular shift along <paramref name="axis"/>: result[i + shift] = values[i].</summary>
    private static float[] Roll(float[] values, Shape3 shape, int axis, int shift)
    {
        int n = shape[axis];
        if (((shift % n) + n) % n == 0) return values;
        var result = new float[values.Length];
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                {
                    int tx = axis == 0 ? Wrap(x + shift, n) : x, ty = axis == 1 ? Wrap(y + shift, n) : y, tz = axis == 2 ? Wrap(z + shift, n) : z;
                    result[shape.Index(tx, ty, tz)] = values[shape.Index(x, y, z)];
                }
        return result;
    }

    private static int Signed(int k, int n) => k <= (n - 1) / 2 ? k : k - n;

    private static int Wrap(int i, int n) => ((i % n) + n) % n;

    private static (int A, int B) Axes(RotationPlane plane) => plane switch
    {
        RotationPlane.XY => (0, 1),
        RotationPlane.XZ => (0, 2),
        _ => (1, 2),
    };

    private static Complex[] ToComplex(float[] values)
    {
        var result = new Complex[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }

    private static float[] RealPart(Complex[] values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = (float)values[i].Real;
        return result;
    }
}
