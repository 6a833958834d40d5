using SasNet.Cli.Benchmarks;
using SasNet.Data.Phantoms;
using SasNet.Geometry;
using Xunit.Abstractions;

namespace SasNet.Data.Tests;

public class DataBenchmarkTests(ITestOutputHelper output)
{
    [Hdf5Fact]
    public void QuickBenchmarkRunsAndReports()
    {
        var writer = new StringWriter();
        Assert.Equal(0, DataBenchmark.Run(writer, PhantomScale.Quick, new Shape3(48, 48, 32), batches: 2));
        var text = writer.ToString();
        output.WriteLine(text);
        Assert.Contains("MB/s", text);
        Assert.Contains("prefetch 2", text);
    }
}
