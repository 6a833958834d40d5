namespace SasNet.Geometry.Tests;

public class BoxAndCropTests
{
    private static Volume<float> Coordinates(Shape3 shape)
    {
        var v = new Volume<float>(shape, new Spacing3(0.5, 1, 2));
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                    v[x, y, z] = x * 10000 + y * 100 + z + 1;
        return v;
    }

    [Fact]
    public void ACropCopiesTheBoxAndZeroFillsWhatLiesOutside()
    {
        var volume = Coordinates(new Shape3(6, 5, 4));
        var box = new Box3(-1, 2, 1, new Shape3(3, 4, 4));
        var crop = volume.Crop(box);
        Assert.Equal(box.Size, crop.Shape);
        Assert.Equal(volume.Spacing, crop.Spacing);
        for (int x = 0; x < 3; x++)
            for (int y = 0; y < 4; y++)
                for (int z = 0; z < 4; z++)
                {
                    int sx = x - 1, sy = y + 2, sz = z + 1;
                    float expected = volume.Shape.Contains(sx, sy, sz) ? volume[sx, sy, sz] : 0f;
                    Assert.Equal(expected, crop[x, y, z]);
                }
        Assert.Throws<ArgumentException>(() => volume.Crop(new Box3(0, 0, 0, new Shape3(0, 1, 1))));
    }

    [Fact]
    public void BoundsAndBoundingBoxesAgree()
    {
        var mask = new Volume<byte>(new Shape3(8, 7, 6));
        mask[2, 3, 1] = 1;
        mask[5, 4, 4] = 1;
        var box = Box3.Bounding(mask.Data, mask.Shape)!.Value;
        Assert.Equal(Box3.FromBounds(2, 3, 1, 6, 5, 5), box);
        Assert.Equal((6, 5, 5), (box.X1, box.Y1, box.Z1));
        Assert.Equal(box, Box3.Bounding(mask.Map(v => v * 2.5f), v => v > 1));
        Assert.Null(Box3.Bounding(new Volume<byte>(new Shape3(2, 2, 2)), v => v != 0));
        Assert.Equal(Box3.FromBounds(1, 2, 0, 7, 6, 6), box.Grow(1, mask.Shape));
        Assert.Equal(Box3.FromBounds(0, 0, 0, 6, 5, 5), box.Union(new Box3(0, 0, 0, new Shape3(1, 1, 1))));
        Assert.Throws<ArgumentException>(() => Box3.FromBounds(1, 1, 1, 1, 2, 2));
    }

    [Fact]
    public void ABoxAroundTheCentreOfMassStaysInsideTheVolume()
    {
        var mask = new Volume<byte>(new Shape3(20, 20, 10));
        for (int x = 14; x < 18; x++) mask[x, 9, 5] = 1;         // centre of mass (15.5, 9, 5)
        var box = Box3.AroundCentreOfMass(mask, new Shape3(8, 8, 4));
        Assert.Equal(new Box3(11, 5, 3, new Shape3(8, 8, 4)), box); // 15 − 4, 9 − 4, 5 − 2
        var edge = Box3.AroundCentreOfMass(mask, new Shape3(16, 16, 16));
        Assert.Equal((4, 1, 0), (edge.X0, edge.Y0, edge.Z0));      // X clamped to 20 − 16; Z starts at 0 where it is too short
        Assert.Equal(new Box3(6, 6, 3, new Shape3(8, 8, 4)), Box3.AroundCentreOfMass(new Volume<byte>(mask.Shape), new Shape3(8, 8, 4)));
    }

    [Fact]
    public void AStridedVolumeKeepsEveryStepthVoxel()
    {
        var volume = Coordinates(new Shape3(5, 4, 3));
        var strided = volume.Strided(2);
        Assert.Equal(new Shape3(3, 2, 2), strided.Shape);
        Assert.Equal(new Spacing3(1, 2, 4), strided.Spacing);
        Assert.Equal(volume[4, 2, 2], strided[2, 1, 1]);
        Assert.Equal(volume.Data, volume.Strided(1).Data);
    }

    [Fact]
    public void PearsonAndSliceContrast()
    {
        float[] a = [1, 2, 3, 4], b = [2, 4, 6, 8], c = [4, 3, 2, 1];
        Assert.Equal(1.0, VolumeStatistics.Pearson(a, b), 12);
        Assert.Equal(-1.0, VolumeStatistics.Pearson(a, c), 12);
        Assert.Equal(0.0, VolumeStatistics.Pearson(a, [5, 5, 5, 5]));
        Assert.Throws<ArgumentException>(() => VolumeStatistics.Pearson(a, b.AsSpan(0, 3)));

        var map = new Volume<float>(new Shape3(2, 2, 2), [1, 0, 3, 0, 5, 0, 7, 0]); // z = 0: 1, 3, 5, 7
        var mask = new Volume<byte>(new Shape3(2, 2, 2), [1, 0, 1, 0, 0, 0, 0, 0]);  // inside on z = 0: 1, 3
        var contrast = VolumeStatistics.Contrast(map, mask, 0)!.Value;
        Assert.Equal((2.0, 6.0), (contrast.Inside, contrast.Outside));
        Assert.Equal(Math.Sqrt(5), contrast.StandardDeviation, 12);
        Assert.Equal(-4 / Math.Sqrt(5), contrast.Sigmas, 9);
        Assert.Null(VolumeStatistics.Contrast(map, mask, 1));           // no mask voxel on z = 1
        Assert.Equal(Math.Sqrt(5), VolumeStatistics.SliceStandardDeviation(map, 0), 12);
        Assert.Equal(0.0, VolumeStatistics.SliceStandardDeviation(map, 1));             // z = 1: all zero
        Assert.Throws<ArgumentOutOfRangeException>(() => VolumeStatistics.SliceStandardDeviation(map, 2));
    }
}
