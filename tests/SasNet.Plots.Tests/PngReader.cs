using System.IO.Compression;

namespace SasNet.Plots.Tests;

/// <summary>A minimal PNG decoder (8-bit RGB or RGBA, not interlaced), enough to look at screenshots.</summary>
public static class PngReader
{
    /// <summary>Width, height and one 0xRRGGBB value per pixel, row by row.</summary>
    public static (int Width, int Height, int[] Rgb) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), "not a PNG");
        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (int offset = 8; offset < bytes.Length;)
        {
            int length = BigEndian(bytes, offset);
            var type = System.Text.Encoding.ASCII.GetString(bytes, offset + 4, 4);
            if (type == "IHDR")
            {
                width = BigEndian(bytes, offset + 8);
                height = BigEndian(bytes, offset + 12);
                Assert.Equal(8, bytes[offset + 16]);
                channels = bytes[offset + 17] switch { 2 => 3, 6 => 4, var other => throw new NotSupportedException($"PNG colour type {other}") };
                Assert.Equal(0, bytes[offset + 20]);
            }
            else if (type == "IDAT") compressed.Write(bytes, offset + 8, length);
            else if (type == "IEND") break;
            offset += 12 + length;
        }
        compressed.Position = 0;
        using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
        int stride = width * channels;
        var raw = new byte[height * (stride + 1)];
        inflater.ReadExactly(raw);
        var previous = new byte[stride];
        var current = new byte[stride];
        var rgb = new int[width * height];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (stride + 1)];
            for (int i = 0; i < stride; i++)
            {
                int value = raw[y * (stride + 1) + 1 + i];
                int left = i >= channels ? current[i - channels] : 0, up = previous[i], upLeft = i >= channels ? previous[i - channels] : 0;
                current[i] = (byte)(filter switch
                {
                    0 => value,
                    1 => value + left,
                    2 => value + up,
                    3 => value + (left + up) / 2,
                    4 => value + Paeth(left, up, upLeft),
                    _ => throw new NotSupportedException($"PNG filter {filter}"),
                });
            }
            for (int x = 0; x < width; x++)
                rgb[y * width + x] = current[x * channels] << 16 | current[x * channels + 1] << 8 | current[x * channels + 2];
            (previous, current) = (current, previous);
        }
        return (width, height, rgb);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static int BigEndian(byte[] bytes, int offset) =>
        bytes[offset] << 24 | bytes[offset + 1] << 16 | bytes[offset + 2] << 8 | bytes[offset + 3];
}
