using SasNet.Data.IO;
using SasNet.Geometry;

namespace SasNet.Data.Tests;

public class H5pyInteropTests
{
    [H5pyFact]
    public void FilesWeWriteOpenInH5py()
    {
        using var dir = new TempDirectory();
        var shape = new Shape3(9, 7, 5);
        Hdf5Case.Write(dir.File("ours.h5"), TestVolumes.Coordinates(shape), TestVolumes.Ball(shape, 2));
        var script = """
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], 'r')
img, lab = f['image'], f['label']
assert img.shape == (9, 7, 5), img.shape
assert img.dtype == np.float32 and lab.dtype == np.uint8
assert img.compression == 'gzip' and img.chunks is not None
a = img[:]
assert a[3, 4, 2] == 3 * 10000 + 4 * 100 + 2 + 0.25, a[3, 4, 2]
assert lab[4, 3, 2] == 1 and lab[0, 0, 0] == 0
print('ok')
""";
        var (code, output) = ExternalTool.Run(H5pyFactAttribute.Python, "-c", script, dir.File("ours.h5"));
        Assert.True(code == 0, output);
    }

    [H5pyFact]
    public void FilesH5pyWritesOpenHere()
    {
        using var dir = new TempDirectory();
        var script = """
import sys, h5py, numpy as np
x, y, z = np.meshgrid(np.arange(6), np.arange(5), np.arange(4), indexing='ij')
img = (x * 100 + y * 10 + z).astype(np.float32)
with h5py.File(sys.argv[1], 'w') as f:
    f.create_dataset('image', data=img, compression='gzip')
    f.create_dataset('label', data=(img > 300).astype(np.uint8), compression='gzip')
    f.create_dataset('f64', data=img.astype(np.float64))
    f.create_dataset('i16', data=img.astype(np.int16))
    f.create_dataset('flabel', data=(img > 300).astype(np.float32))
    f.create_dataset('compound', data=np.zeros((2, 2, 2), dtype=[('a', 'i4'), ('b', 'f4')]))
""";
        var (code, output) = ExternalTool.Run(H5pyFactAttribute.Python, "-c", script, dir.File("theirs.h5"));
        Assert.True(code == 0, output);
        var (image, label) = Hdf5Case.Read(dir.File("theirs.h5"));
        Assert.Equal(new Shape3(6, 5, 4), image.Shape);
        Assert.Equal(3 * 100 + 2 * 10 + 1, image[3, 2, 1]);
        Assert.Equal(1, label[4, 0, 0]);
        using var file = Hdf5File.OpenRead(dir.File("theirs.h5"));
        Assert.Equal(image.Data, file.ReadFloat("f64").Data);
        Assert.Equal(image.Data, file.ReadFloat("i16").Data);
        Assert.Equal(label.Data, file.ReadLabel("flabel").Data);
        Assert.Throws<UnsupportedElementTypeException>(() => file.ReadFloat("compound"));
    }
}
