using System.Collections.Concurrent;
using System.Numerics;

namespace SasNet.Data.Fourier;

/// <summary>
/// Complex FFT of any length. Lengths whose prime factors are all ≤ 31 use a recursive mixed-radix
/// Cooley–Tukey transform (radix 4 and 2 first, then 3, 5, 7, … with a generic radix-p butterfly) over one
/// precomputed table of roots of unity; other lengths use Bluestein's chirp-z algorithm on a power-of-two
/// convolution. Forward: X[k] = Σ x[n]·e^{−2πi nk/N}; inverse includes the 1/N factor. Plans are cached
/// per length and are thread-safe (scratch buffers are per call).
/// </summary>
public sealed class FftPlan
{
    private const int LargestDirectRadix = 31;
    private static readonly ConcurrentDictionary<int, FftPlan> Plans = new();

    private readonly int[] factors;
    private readonly Complex[] roots; // e^{-2πi j/N}, j = 0..N-1
    private readonly Bluestein? bluestein;

    private FftPlan(int length)
    {
        Length = length;
        factors = Factorise(length, out bool smooth);
        if (smooth)
        {
            roots = new Complex[length];
            for (int j = 0; j < length; j++)
            {
                double angle = -2 * Math.PI * j / length;
                roots[j] = new Complex(Math.Cos(angle), Math.Sin(angle));
            }
        }
        else
        {
            roots = [];
            bluestein = new Bluestein(length);
        }
    }

    /// <summary>Transform length.</summary>
    public int Length { get; }

    /// <summary>Whether this length goes through Bluestein's algorithm (a prime factor above 31).</summary>
    public bool UsesBluestein => bluestein is not null;

    /// <summary>The cached plan for <paramref name="length"/> (≥ 1).</summary>
    public static FftPlan For(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        return Plans.GetOrAdd(length, n => new FftPlan(n));
    }

    /// <summary>In-place forward transform of <paramref name="data"/> (length <see cref="Length"/>).</summary>
    public void Forward(Span<Complex> data) => Transform(data, inverse: false);

    /// <summary>In-place inverse transform, scaled by 1/N so that Inverse(Forward(x)) = x.</summary>
    public void Inverse(Span<Complex> data)
    {
        Transform(data, inverse: true);
        double scale = 1.0 / Length;
        for (int i = 0; i < data.Length; i++) data[i] *= scale;
    }

    private void Transform(Span<Complex> data, bool inverse)
    {
        if (data.Length != Length) throw new ArgumentException($"plan is for length {Length}, data has {data.Length}", nameof(data));
        if (Length == 1) return;
        if (bluestein is not null)
        {
            bluestein.Transform(data, inverse);
            return;
        }
        var input = data.ToArray();
        var scratch = new Complex[Length];
        Recurse(input, 0, 1, data, scratch, Length, 0, inverse);
    }

    /// <summary>
    /// Decimation in time: output[0..n) receives the DFT of input[offset + j·stride], j &lt; n. The p sub-transforms
    /// of length m = n/p are written to consecutive blocks of output, then combined by radix-p butterflies.
    /// </summary>
    private void Recurse(Complex[] input, int offset, int stride, Span<Complex> output, Complex[] scratch, int n, int factorIndex, bool inverse)
    {
        if (n == 1)
        {
            output[0] = input[offset];
            return;
        }
        int p = factors[factorIndex], m = n / p;
        for (int q = 0; q < p; q++)
            Recurse(input, offset + q * stride, stride * p, output.Slice(q * m, m), scratch, m, factorIndex + 1, inverse);

        int rootStep = Length / n; // w_n^j = w_N^{j·N/n}
        var block = scratch.AsSpan(0, n);
        output[..n].CopyTo(block);
        Span<Complex> twiddled = stackalloc Complex[p];
        for (int k = 0; k < m; k++)
        {
            for (int q = 0; q < p; q++)
                twiddled[q] = block[q * m + k] * Root((long)q * k * rootStep, inverse);
            for (int r = 0; r < p; r++)
            {
                Complex sum = twiddled[0];
                int rootStride = (int)((long)Length / p % Length); // w_p^{q·r} = w_N^{q·r·N/p}
                for (int q = 1; q < p; q++) sum += twiddled[q] * Root((long)q * r * rootStride, inverse);
                output[k + r * m] = sum;
            }
        }
    }

    private Complex Root(long exponent, bool inverse)
    {
        var w = roots[(int)(exponent % Length)];
        return inverse ? Complex.Conjugate(w) : w;
    }

    private static int[] Factorise(int n, out bool smooth)
    {
        var factors = new List<int>();
        int rest = n;
        while (rest % 4 == 0) { factors.Add(4); rest /= 4; }
        while (rest % 2 == 0) { factors.Add(2); rest /= 2; }
        for (int p = 3; p <= LargestDirectRadix && rest > 1; p += 2)
            while (rest % p == 0) { factors.Add(p); rest /= p; }
        smooth = rest == 1;
        return factors.ToArray();
    }

    /// <summary>Chirp-z: a length-N DFT as a circular convolution of power-of-two length M ≥ 2N−1.</summary>
    private sealed class Bluestein
    {
        private readonly int n;
        private readonly FftPlan convolution;
        private readonly Complex[] chirp;          // e^{-πi k²/N}
        private readonly Complex[] filterSpectrum; // FFT of conj(chirp) laid out circularly
        private readonly Complex[] filterSpectrumInverse;

        public Bluestein(int n)
        {
            this.n = n;
            int m = 1;
            while (m < 2 * n - 1) m <<= 1;
            convolution = For(m);
            chirp = new Complex[n];
            for (int k = 0; k < n; k++)
            {
                long kk = (long)k * k % (2L * n); // keeps the angle accurate for large k
                double angle = -Math.PI * kk / n;
                chirp[k] = new Complex(Math.Cos(angle), Math.Sin(angle));
            }
            filterSpectrum = Filter(m, inverse: false);
            filterSpectrumInverse = Filter(m, inverse: true);
        }

        private Complex[] Filter(int m, bool inverse)
        {
            var b = new Complex[m];
            for (int k = 0; k < n; k++)
            {
                var c = inverse ? chirp[k] : Complex.Conjugate(chirp[k]);
                b[k] = c;
                if (k > 0) b[m - k] = c;
            }
            convolution.Forward(b);
            return b;
        }

        public void Transform(Span<Complex> data, bool inverse)
        {
            int m = convolution.Length;
            var a = new Complex[m];
            for (int k = 0; k < n; k++) a[k] = data[k] * (inverse ? Complex.Conjugate(chirp[k]) : chirp[k]);
            convolution.Forward(a);
            var filter = inverse ? filterSpectrumInverse : filterSpectrum;
            for (int i = 0; i < m; i++) a[i] *= filter[i];
            convolution.Inverse(a);
            for (int k = 0; k < n; k++) data[k] = a[k] * (inverse ? Complex.Conjugate(chirp[k]) : chirp[k]);
        }
    }
}

/// <summary>
/// 3D FFT over a complex array in C order (X, Y, Z), Z fastest: 1D transforms along Z, then Y, then X,
/// each pass parallel over its lines.
/// </summary>
public static class Fft3D
{
    /// <summary>In-place forward 3D transform of <paramref name="data"/> with shape (nx, ny, nz).</summary>
    public static void Forward(Complex[] data, int nx, int ny, int nz) => Transform(data, nx, ny, nz, inverse: false);

    /// <summary>In-place inverse 3D transform (scaled by 1/(nx·ny·nz)).</summary>
    public static void Inverse(Complex[] data, int nx, int ny, int nz) => Transform(data, nx, ny, nz, inverse: true);

    private static void Transform(Complex[] data, int nx, int ny, int nz, bool inverse)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != (long)nx * ny * nz) throw new ArgumentException($"array of {data.Length} values is not {nx}×{ny}×{nz}", nameof(data));
        // Along Z: lines are contiguous.
        Pass(data, nx * ny, nz, 1, line => line * nz, inverse);
        // Along Y: lines start at (x, 0, z) with stride nz.
        Pass(data, nx * nz, ny, nz, line => line / nz * ny * nz + line % nz, inverse);
        // Along X: lines start at (0, y, z) with stride ny·nz.
        Pass(data, ny * nz, nx, ny * nz, line => line, inverse);
    }

    private static void Pass(Complex[] data, int lines, int length, int stride, Func<int, int> start, bool inverse)
    {
        if (length == 1) return;
        var plan = FftPlan.For(length);
        Parallel.For(0, lines, () => new Complex[length], (line, _, buffer) =>
        {
            int s = start(line);
            for (int i = 0; i < length; i++) buffer[i] = data[s + i * stride];
            if (inverse) plan.Inverse(buffer); else plan.Forward(buffer);
            for (int i = 0; i < length; i++) data[s + i * stride] = buffer[i];
            return buffer;
        }, _ => { });
    }
}
