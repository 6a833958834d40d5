using SasNet.Geometry;

namespace SasNet.Data.Phantoms;

/// <summary>Size of the generated phantom volumes.</summary>
public enum PhantomScale
{
    /// <summary>About 64×64×48 voxels (±4 / ±2): trains on a CPU in minutes with 48×48×32 crops.</summary>
    Quick,

    /// <summary>LA-sized, about 120×120×88 voxels (±8 / ±6), for 112×112×80 crops.</summary>
    Paper,
}

/// <summary>One generated case: the z-scored MRI-like image, the organ label and the distractor mask.</summary>
/// <param name="Id">Case identifier, e.g. "phantom_007".</param>
/// <param name="Image">Image (X, Y, Z), z-score normalised over the whole volume like the UA-MT preprocessing.</param>
/// <param name="Label">Organ mask (X, Y, Z): 1 inside the atrium-like body and its vein-like tubes.</param>
/// <param name="Distractors">Mask (X, Y, Z) of the structures that look like the organ but are not labelled
/// (aorta-like tube, adjacent blob, bright wall); kept for tests and figures, not written to disk.</param>
public sealed record PhantomCase(string Id, Volume<float> Image, Volume<byte> Label, Volume<byte> Distractors);

/// <summary>
/// Deterministic generator of MRI-like 3D cases (docs/method.md §9). The target is a left-atrium-like
/// organ: a union of 2–4 randomly rotated ellipsoids whose surface is deformed by low-frequency noise,
/// with 2–4 curved pulmonary-vein-like tubes leaving it. Next to it lie distractors with the same blood-pool
/// intensity (an aorta-like curved tube and an adjacent blob) and a thin, patchy, brighter wall around the
/// organ, so a threshold cannot separate organ from non-organ. The image has a smooth tissue texture, a dark
/// region outside an elliptic torso, partial-volume edges, a multiplicative bias field and Rician-like noise,
/// and is z-scored. Size, position and orientation vary per case. The case content depends only on
/// (scale, seed, case index); voxel rows are generated in parallel with per-row random streams, so the
/// output is identical whatever the thread timing.
/// </summary>
public static class PhantomGenerator
{
    /// <summary>The identifier of case <paramref name="caseIndex"/>: "phantom_000", "phantom_001", …</summary>
    public static string CaseId(int caseIndex) => $"phantom_{caseIndex:D3}";

    /// <summary>Nominal volume shape of a scale (individual cases vary around it).</summary>
    public static Shape3 NominalShape(PhantomScale scale) => scale == PhantomScale.Quick ? new Shape3(64, 64, 48) : new Shape3(120, 120, 88);

    /// <summary>Generates one case.</summary>
    /// <param name="scale">Volume size class.</param>
    /// <param name="seed">Dataset seed.</param>
    /// <param name="caseIndex">Index of the case within the dataset (0-based).</param>
    public static PhantomCase Generate(PhantomScale scale, int seed, int caseIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(caseIndex);
        var random = new Random(MixSeed(seed, caseIndex, 0x5A5));
        var nominal = NominalShape(scale);
        int jitterXY = scale == PhantomScale.Quick ? 4 : 8, jitterZ = scale == PhantomScale.Quick ? 2 : 6;
        var shape = new Shape3(
            nominal.X + random.Next(-jitterXY, jitterXY + 1),
            nominal.Y + random.Next(-jitterXY, jitterXY + 1),
            nominal.Z + random.Next(-jitterZ, jitterZ + 1));
        var scene = Scene.Random(random, shape);
        var intensities = new Intensities(random);
        var bias = new ValueNoise3(random, Math.Max(shape.X, shape.Z) / 1.5, shape.X, shape.Y, shape.Z);
        var texture = new ValueNoise3(random, 6.0 * shape.X / 64.0, shape.X, shape.Y, shape.Z);
        int rowSeed = random.Next();

        var image = new float[shape.Count];
        var label = new byte[shape.Count];
        var distractors = new byte[shape.Count];
        Parallel.For(0, shape.X, x =>
        {
            var rowRandom = new Random(MixSeed(rowSeed, x, 0x77));
            for (int y = 0; y < shape.Y; y++)
            {
                for (int z = 0; z < shape.Z; z++)
                {
                    int i = shape.Index(x, y, z);
                    var p = new Vec(x, y, z);
                    var s = scene.Evaluate(p);
                    double value = intensities.Background * (1 + 0.12 * texture.Sample(x, y, z));
                    value = Mix(value, intensities.Air, Occupancy(-s.Torso));
                    value = Mix(value, intensities.Blob, Occupancy(s.Blob));
                    value = Mix(value, intensities.Aorta, Occupancy(s.Aorta));
                    value = Mix(value, intensities.Blood, Occupancy(s.Organ));
                    // Wall: a shell about one voxel thick just outside the organ, present where the patch noise is high.
                    double wall = Occupancy(s.Organ + scene.WallThickness) * Occupancy(-s.Organ) * Math.Clamp(s.WallPatch * 2 + 0.6, 0, 1);
                    value = Mix(value, intensities.Wall, wall);
                    value *= Math.Exp(intensities.BiasStrength * bias.Sample(x, y, z));
                    double n1 = Gaussian(rowRandom) * intensities.NoiseSigma, n2 = Gaussian(rowRandom) * intensities.NoiseSigma;
                    image[i] = (float)Math.Sqrt((value + n1) * (value + n1) + n2 * n2);
                    label[i] = s.Organ > 0 ? (byte)1 : (byte)0;
                    distractors[i] = s.Organ <= 0 && (s.Aorta > 0 || s.Blob > 0 || wall > 0.5) ? (byte)1 : (byte)0;
                }
            }
        });
        ZScore(image);
        return new PhantomCase(CaseId(caseIndex), new Volume<float>(shape, image), new Volume<byte>(shape, label), new Volume<byte>(shape, distractors));
    }

    /// <summary>Standardises to zero mean and unit standard deviation over all voxels (UA-MT's normalisation).</summary>
    internal static void ZScore(float[] values)
    {
        double sum = 0, sumSq = 0;
        foreach (var v in values) { sum += v; sumSq += (double)v * v; }
        double mean = sum / values.Length;
        double std = Math.Sqrt(Math.Max(sumSq / values.Length - mean * mean, 0));
        float scale = (float)(1 / Math.Max(std, 1e-8));
        for (int i = 0; i < values.Length; i++) values[i] = (float)((values[i] - mean) * scale);
    }

    /// <summary>A 32-bit seed from (seed, index, salt) by a SplitMix64 finaliser, so nearby inputs give unrelated streams.</summary>
    internal static int MixSeed(int seed, int index, int salt)
    {
        ulong z = ((ulong)(uint)seed << 32) ^ (uint)index ^ ((ulong)(uint)salt << 17) ^ 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    private static double Occupancy(double signedDistanceVoxels) => Math.Clamp(0.5 + signedDistanceVoxels, 0, 1);

    private static double Mix(double under, double over, double weight) => under + (over - under) * weight;

    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private sealed class Intensities
    {
        public Intensities(Random random)
        {
            Blood = 0.72 + 0.08 * random.NextDouble();
            Aorta = Blood * (0.94 + 0.12 * random.NextDouble());
            Blob = Blood * (0.9 + 0.15 * random.NextDouble());
            Wall = Blood * (1.12 + 0.12 * random.NextDouble());
            Background = 0.32 + 0.08 * random.NextDouble();
            Air = 0.04;
            NoiseSigma = 0.07 + 0.05 * random.NextDouble();
            BiasStrength = 0.2 + 0.15 * random.NextDouble();
        }

        public double Blood { get; }
        public double Aorta { get; }
        public double Blob { get; }
        public double Wall { get; }
        public double Background { get; }
        public double Air { get; }
        public double NoiseSigma { get; }
        public double BiasStrength { get; }
    }

    /// <summary>Signed distances (voxels, positive inside) of each structure at one point.</summary>
    private readonly record struct SceneSample(double Organ, double Aorta, double Blob, double Torso, double WallPatch);

    /// <summary>The random geometry of one case, in voxel coordinates.</summary>
    private sealed class Scene
    {
        private readonly Ellipsoid[] body;
        private readonly Tube[] veins;
        private readonly Tube aorta;
        private readonly Ellipsoid blob;
        private readonly ValueNoise3 deform;
        private readonly ValueNoise3 wallPatches;
        private readonly double deformAmplitude;
        private readonly Vec torsoCentre;
        private readonly double torsoRx, torsoRy;

        private Scene(Ellipsoid[] body, Tube[] veins, Tube aorta, Ellipsoid blob, ValueNoise3 deform, double deformAmplitude,
            ValueNoise3 wallPatches, Vec torsoCentre, double torsoRx, double torsoRy, double wallThickness)
        {
            this.body = body; this.veins = veins; this.aorta = aorta; this.blob = blob; this.deform = deform; this.deformAmplitude = deformAmplitude;
            this.wallPatches = wallPatches; this.torsoCentre = torsoCentre; this.torsoRx = torsoRx; this.torsoRy = torsoRy; WallThickness = wallThickness;
        }

        public double WallThickness { get; }

        public static Scene Random(Random r, Shape3 shape)
        {
            double unit = Math.Min(shape.X, shape.Y) / 2.0; // organ sizes are fractions of the half-width
            var centre = new Vec(shape.X / 2.0, shape.Y / 2.0, shape.Z / 2.0) + new Vec(
                U(r, -0.15, 0.15) * unit, U(r, -0.15, 0.15) * unit, U(r, -0.1, 0.1) * shape.Z / 2.0);
            var orientation = Rotation.FromAngles(U(r, -0.6, 0.6), U(r, -0.25, 0.25), U(r, -0.25, 0.25));
            double size = U(r, 0.85, 1.1); // case-to-case organ size
            var mainRadii = new Vec(U(r, 0.40, 0.52), U(r, 0.32, 0.42), U(r, 0.28, 0.36)) * (unit * size);
            mainRadii = new Vec(mainRadii.X, mainRadii.Y, Math.Min(mainRadii.Z, shape.Z * 0.32));
            int lobes = r.Next(2, 5);
            var body = new Ellipsoid[lobes];
            body[0] = new Ellipsoid(centre, mainRadii, orientation);
            for (int k = 1; k < lobes; k++)
            {
                var direction = orientation.Apply(RandomDirection(r));
                var offset = new Vec(direction.X * mainRadii.X, direction.Y * mainRadii.Y, direction.Z * mainRadii.Z) * U(r, 0.3, 0.6);
                var radii = mainRadii * U(r, 0.55, 0.85);
                body[k] = new Ellipsoid(centre + offset, radii, orientation * Rotation.FromAngles(U(r, -0.8, 0.8), U(r, -0.5, 0.5), U(r, -0.5, 0.5)));
            }
            int veinCount = r.Next(2, 5);
            var veins = new Tube[veinCount];
            for (int k = 0; k < veinCount; k++)
            {
                // Veins leave the back and sides of the body, like pulmonary veins from the atrium.
                var local = new Vec(U(r, -1, 1), U(r, 0.2, 1) * (k % 2 == 0 ? 1 : -1), U(r, -0.6, 0.6)).Normalised();
                var direction = orientation.Apply(local);
                var start = centre + new Vec(direction.X * mainRadii.X, direction.Y * mainRadii.Y, direction.Z * mainRadii.Z) * 0.7;
                double length = U(r, 0.35, 0.6) * unit;
                var bend = orientation.Apply(RandomDirection(r)) * (U(r, 0.1, 0.25) * length);
                var end = start + direction * length + bend;
                var control = start + direction * (length * 0.5);
                veins[k] = new Tube(start, control, end, U(r, 0.05, 0.08) * unit * size);
            }
            // Aorta-like tube: runs roughly along Z beside the organ, curving over.
            var side = orientation.Apply(new Vec(Math.Cos(U(r, 0, 2 * Math.PI)), Math.Sin(U(r, 0, 2 * Math.PI)), 0).Normalised());
            double aortaRadius = U(r, 0.10, 0.14) * unit;
            var aortaAxis = centre + side * (mainRadii.X + aortaRadius + U(r, 0.06, 0.14) * unit);
            var aorta = new Tube(
                new Vec(aortaAxis.X, aortaAxis.Y, -2),
                aortaAxis + side * (U(r, 0.05, 0.15) * unit),
                new Vec(aortaAxis.X + U(r, -0.2, 0.2) * unit, aortaAxis.Y + U(r, -0.2, 0.2) * unit, shape.Z + 2),
                aortaRadius);
            // Adjacent blob on another side, almost touching the organ.
            var blobSide = orientation.Apply(RandomDirection(r));
            if (blobSide.Dot(side) > 0.3) blobSide = (blobSide - side * (2 * blobSide.Dot(side))).Normalised();
            var blobRadii = new Vec(U(r, 0.12, 0.2), U(r, 0.12, 0.2), U(r, 0.1, 0.16)) * unit;
            var blobCentre = centre + blobSide * (mainRadii.Length() * 0.75 + blobRadii.X + U(r, 0.02, 0.08) * unit);
            var blob = new Ellipsoid(blobCentre, blobRadii, Rotation.FromAngles(U(r, -1, 1), U(r, -1, 1), U(r, -1, 1)));

            var deform = new ValueNoise3(r, unit * 0.35, shape.X, shape.Y, shape.Z);
            var wallPatches = new ValueNoise3(r, unit * 0.25, shape.X, shape.Y, shape.Z);
            var torsoCentre = new Vec(shape.X / 2.0 + U(r, -0.05, 0.05) * unit, shape.Y / 2.0 + U(r, -0.05, 0.05) * unit, 0);
            return new Scene(body, veins, aorta, blob, deform, U(r, 0.05, 0.09) * unit, wallPatches,
                torsoCentre, shape.X * U(r, 0.47, 0.55), shape.Y * U(r, 0.42, 0.5), U(r, 1.0, 1.8));
        }

        public SceneSample Evaluate(Vec p)
        {
            double body = double.NegativeInfinity;
            foreach (var e in this.body) body = Math.Max(body, e.SignedDistance(p));
            body += deformAmplitude * deform.Sample(p.X, p.Y, p.Z);
            double organ = body;
            foreach (var v in veins) organ = Math.Max(organ, v.SignedDistance(p));
            double tx = (p.X - torsoCentre.X) / torsoRx, ty = (p.Y - torsoCentre.Y) / torsoRy;
            double torso = (1 - Math.Sqrt(tx * tx + ty * ty)) * Math.Min(torsoRx, torsoRy);
            return new SceneSample(organ, aorta.SignedDistance(p), blob.SignedDistance(p), torso, wallPatches.Sample(p.X, p.Y, p.Z));
        }

        private static double U(Random r, double low, double high) => low + (high - low) * r.NextDouble();

        private static Vec RandomDirection(Random r)
        {
            while (true)
            {
                var v = new Vec(U(r, -1, 1), U(r, -1, 1), U(r, -1, 1));
                double n = v.Length();
                if (n > 0.1 && n <= 1) return v * (1 / n);
            }
        }
    }

    private readonly record struct Vec(double X, double Y, double Z)
    {
        public static Vec operator +(Vec a, Vec b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
        public static Vec operator -(Vec a, Vec b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
        public static Vec operator *(Vec a, double s) => new(a.X * s, a.Y * s, a.Z * s);
        public double Dot(Vec b) => X * b.X + Y * b.Y + Z * b.Z;
        public double Length() => Math.Sqrt(Dot(this));
        public Vec Normalised() => this * (1 / Math.Max(Length(), 1e-12));
    }

    /// <summary>A rotation matrix (rows R0, R1, R2).</summary>
    private readonly record struct Rotation(Vec R0, Vec R1, Vec R2)
    {
        public static Rotation FromAngles(double yaw, double pitch, double roll)
        {
            double cy = Math.Cos(yaw), sy = Math.Sin(yaw), cp = Math.Cos(pitch), sp = Math.Sin(pitch), cr = Math.Cos(roll), sr = Math.Sin(roll);
            // R = Rz(yaw) · Ry(pitch) · Rx(roll)
            return new Rotation(
                new Vec(cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr),
                new Vec(sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr),
                new Vec(-sp, cp * sr, cp * cr));
        }

        public Vec Apply(Vec v) => new(R0.Dot(v), R1.Dot(v), R2.Dot(v));

        public Vec ApplyTransposed(Vec v) => new(R0.X * v.X + R1.X * v.Y + R2.X * v.Z, R0.Y * v.X + R1.Y * v.Y + R2.Y * v.Z, R0.Z * v.X + R1.Z * v.Y + R2.Z * v.Z);

        public static Rotation operator *(Rotation a, Rotation b)
        {
            var c0 = new Vec(b.R0.X, b.R1.X, b.R2.X);
            var c1 = new Vec(b.R0.Y, b.R1.Y, b.R2.Y);
            var c2 = new Vec(b.R0.Z, b.R1.Z, b.R2.Z);
            return new Rotation(
                new Vec(a.R0.Dot(c0), a.R0.Dot(c1), a.R0.Dot(c2)),
                new Vec(a.R1.Dot(c0), a.R1.Dot(c1), a.R1.Dot(c2)),
                new Vec(a.R2.Dot(c0), a.R2.Dot(c1), a.R2.Dot(c2)));
        }
    }

    /// <summary>A rotated ellipsoid; its signed distance is approximated by scaling the normalised radius by the smallest semi-axis.</summary>
    private readonly record struct Ellipsoid(Vec Centre, Vec Radii, Rotation Orientation)
    {
        private readonly double bound = Math.Max(Radii.X, Math.Max(Radii.Y, Radii.Z)) + 3;
        private readonly double minRadius = Math.Min(Radii.X, Math.Min(Radii.Y, Radii.Z));

        public double SignedDistance(Vec p)
        {
            var d = p - Centre;
            if (Math.Abs(d.X) > bound || Math.Abs(d.Y) > bound || Math.Abs(d.Z) > bound) return -bound;
            var q = Orientation.ApplyTransposed(d);
            double n = Math.Sqrt(q.X * q.X / (Radii.X * Radii.X) + q.Y * q.Y / (Radii.Y * Radii.Y) + q.Z * q.Z / (Radii.Z * Radii.Z));
            return (1 - n) * minRadius;
        }
    }

    /// <summary>A tube of constant radius around a quadratic Bézier curve, sampled as a 10-segment polyline.</summary>
    private sealed class Tube
    {
        private const int Segments = 10;
        private readonly Vec[] points = new Vec[Segments + 1];
        private readonly double radius;
        private readonly Vec min, max;

        public Tube(Vec start, Vec control, Vec end, double radius)
        {
            this.radius = radius;
            for (int i = 0; i <= Segments; i++)
            {
                double t = i / (double)Segments, a = (1 - t) * (1 - t), b = 2 * t * (1 - t), c = t * t;
                points[i] = start * a + control * b + end * c;
            }
            double margin = radius + 3;
            min = new Vec(points.Min(p => p.X) - margin, points.Min(p => p.Y) - margin, points.Min(p => p.Z) - margin);
            max = new Vec(points.Max(p => p.X) + margin, points.Max(p => p.Y) + margin, points.Max(p => p.Z) + margin);
        }

        public double SignedDistance(Vec p)
        {
            if (p.X < min.X || p.Y < min.Y || p.Z < min.Z || p.X > max.X || p.Y > max.Y || p.Z > max.Z) return -3 - radius;
            double best = double.PositiveInfinity;
            for (int i = 0; i < Segments; i++)
            {
                var a = points[i];
                var ab = points[i + 1] - a;
                double t = Math.Clamp((p - a).Dot(ab) / Math.Max(ab.Dot(ab), 1e-12), 0, 1);
                var d = p - (a + ab * t);
                best = Math.Min(best, d.Dot(d));
            }
            return radius - Math.Sqrt(best);
        }
    }
}
