using SasNet.Geometry;

namespace SasNet.Data.Transforms;

/// <summary>
/// A signed axis permutation of a 3D grid: output axis a reads input axis <see cref="SourceAxis"/>[a],
/// reversed when <see cref="Flip"/>[a]. Every rot90, flip and axis swap (and any composition of them) is
/// one of these 48 maps, so a sample records its whole spatial re-orientation (SASSNet RandomRotFlip, VVE
/// permutations) as one value and can map arrays back exactly with <see cref="Inverse"/>.
/// Arrays are C order over (X, Y, Z).
/// </summary>
public readonly record struct AxisTransform
{
    private readonly byte a0, a1, a2;
    private readonly bool f0, f1, f2;
    private readonly bool set;

    /// <summary>Creates the map: output axis i reads input axis a_i (a permutation of {0, 1, 2}), reversed when flip_i.</summary>
    public AxisTransform(int a0, int a1, int a2, bool flip0 = false, bool flip1 = false, bool flip2 = false)
    {
        if (a0 < 0 || a0 > 2 || a1 < 0 || a1 > 2 || a2 < 0 || a2 > 2 || a0 == a1 || a1 == a2 || a0 == a2)
            throw new ArgumentException($"({a0}, {a1}, {a2}) is not a permutation of the axes 0, 1, 2");
        (this.a0, this.a1, this.a2, f0, f1, f2, set) = ((byte)a0, (byte)a1, (byte)a2, flip0, flip1, flip2, true);
    }

    /// <summary>The identity (also the default value).</summary>
    public static AxisTransform Identity => new(0, 1, 2);

    /// <summary>Swap of two axes (no flips).</summary>
    public static AxisTransform Swap(int axisA, int axisB)
    {
        var axes = new[] { 0, 1, 2 };
        (axes[axisA], axes[axisB]) = (axes[axisB], axes[axisA]);
        return new AxisTransform(axes[0], axes[1], axes[2]);
    }

    /// <summary>numpy's <c>rot90(m, k)</c> in the plane of axes 0 and 1 (rotating from axis 0 towards axis 1).</summary>
    public static AxisTransform Rot90(int k) => (((k % 4) + 4) % 4) switch
    {
        0 => Identity,
        1 => new AxisTransform(1, 0, 2, flip0: true),
        2 => new AxisTransform(0, 1, 2, flip0: true, flip1: true),
        _ => new AxisTransform(1, 0, 2, flip1: true),
    };

    /// <summary>numpy's <c>flip(m, axis)</c>.</summary>
    public static AxisTransform FlipAxis(int axis) => Identity.ThenFlip(axis);

    /// <summary>Input axis read by output axis 0, 1, 2.</summary>
    public int SourceAxis(int outputAxis) => !set ? outputAxis : outputAxis switch { 0 => a0, 1 => a1, 2 => a2, _ => throw new ArgumentOutOfRangeException(nameof(outputAxis)) };

    /// <summary>Whether output axis 0, 1, 2 runs backwards through its input axis.</summary>
    public bool Flip(int outputAxis) => set && outputAxis switch { 0 => f0, 1 => f1, 2 => f2, _ => throw new ArgumentOutOfRangeException(nameof(outputAxis)) };

    /// <summary>Whether this is the identity map.</summary>
    public bool IsIdentity => SourceAxis(0) == 0 && SourceAxis(1) == 1 && !Flip(0) && !Flip(1) && !Flip(2);

    /// <summary>Shape of the output for an input of shape <paramref name="input"/>.</summary>
    public Shape3 OutputShape(Shape3 input) => new(input[SourceAxis(0)], input[SourceAxis(1)], input[SourceAxis(2)]);

    /// <summary>This map followed by a flip of output axis <paramref name="axis"/>.</summary>
    public AxisTransform ThenFlip(int axis) => new(SourceAxis(0), SourceAxis(1), SourceAxis(2),
        Flip(0) ^ (axis == 0), Flip(1) ^ (axis == 1), Flip(2) ^ (axis == 2));

    /// <summary>This map followed by <paramref name="next"/> (applied to this map's output).</summary>
    public AxisTransform Then(AxisTransform next)
    {
        // next's output axis a reads our output axis next.SourceAxis(a), which reads input axis SourceAxis(that).
        int s0 = next.SourceAxis(0), s1 = next.SourceAxis(1), s2 = next.SourceAxis(2);
        return new AxisTransform(SourceAxis(s0), SourceAxis(s1), SourceAxis(s2),
            Flip(s0) ^ next.Flip(0), Flip(s1) ^ next.Flip(1), Flip(s2) ^ next.Flip(2));
    }

    /// <summary>The map that undoes this one: Then(Inverse()) is the identity.</summary>
    public AxisTransform Inverse()
    {
        var source = new int[3];
        var flips = new bool[3];
        for (int a = 0; a < 3; a++)
        {
            source[SourceAxis(a)] = a;
            flips[SourceAxis(a)] = Flip(a);
        }
        return new AxisTransform(source[0], source[1], source[2], flips[0], flips[1], flips[2]);
    }

    /// <summary>Applies the map to <paramref name="input"/> of shape <paramref name="inputShape"/>; returns a new array of <see cref="OutputShape"/>.</summary>
    public T[] Apply<T>(ReadOnlySpan<T> input, Shape3 inputShape)
    {
        if (input.Length != inputShape.Count) throw new ArgumentException($"array of {input.Length} values is not {inputShape}", nameof(input));
        var output = new T[input.Length];
        Apply(input, inputShape, output);
        return output;
    }

    /// <summary>Applies the map into <paramref name="output"/> (length equal to the input's).</summary>
    public void Apply<T>(ReadOnlySpan<T> input, Shape3 inputShape, Span<T> output)
    {
        var outShape = OutputShape(inputShape);
        // Input strides for each output axis, with flips folded into a start offset and negative stride.
        Span<int> inputStride = [inputShape.Y * inputShape.Z, inputShape.Z, 1];
        int start = 0;
        Span<int> step = stackalloc int[3];
        for (int a = 0; a < 3; a++)
        {
            int src = SourceAxis(a);
            step[a] = Flip(a) ? -inputStride[src] : inputStride[src];
            if (Flip(a)) start += (inputShape[src] - 1) * inputStride[src];
        }
        int o = 0;
        for (int x = 0; x < outShape.X; x++)
        {
            int ix = start + x * step[0];
            for (int y = 0; y < outShape.Y; y++)
            {
                int iy = ix + y * step[1];
                int s2 = step[2];
                for (int z = 0; z < outShape.Z; z++) output[o++] = input[iy + z * s2];
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"({(Flip(0) ? "-" : "")}{"XYZ"[SourceAxis(0)]}, {(Flip(1) ? "-" : "")}{"XYZ"[SourceAxis(1)]}, {(Flip(2) ? "-" : "")}{"XYZ"[SourceAxis(2)]})";
}
