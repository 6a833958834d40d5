using System.Diagnostics;
using SasNet.Losses;
using SasNet.Models;
using SasNet.Training;
using SasNet.Tests.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasNet.Tests.Runtime;

/// <summary>
/// A loop of SASNet training steps, each in the trainer's <see cref="TrainingStepScope"/>, leaves no native tensor
/// behind and does not grow the process. In the serial collection: <see cref="Tensor.TotalCount"/> counts the tensors
/// of the whole process.
/// (<c>sasnet benchmark memory --steps 1000</c> prints the same figures for a longer loop.)
/// </summary>
[Collection(TorchTrainingCollection.Name)]
public class MemoryTests
{
    private static long SettledTensorCount()
    {
        // Tensors other code left to the garbage collector are freed by their finalisers: let them run first.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Tensor.TotalCount;
    }

    private static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    [Fact]
    public void TrainingStepsInTheirStepScopeLeaveNoTensorsAndFlatMemory()
    {
        manual_seed(5);
        using (var model = new SasNetModel(new ModelConfig(BaseFilters: 4)))
        {
            ChannelsLast.ApplyWhereFaster(model, CPU); // the layout the trainer uses here
            using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9, weight_decay: 1e-4);
            long afterWarmUp = 0, residentAfterWarmUp = 0;
            for (int step = 1; step <= 150; step++)
            {
                using (TrainingStepScope.Begin())
                {
                    var image = randn([4, 1, 16, 16, 16]);
                    var labels = image.select(1, 0).gt(0.5).to(ScalarType.Int64);
                    var output = model.call(image);
                    var loss = SegmentationLosses.Supervised(output, labels, labeledCount: 2)
                        + output.Branches.Select(b => F.mse_loss(b.SdmPrediction(), labels.to(ScalarType.Float32) * 2 - 1)).Aggregate((a, b) => a + b);
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                }
                if (step == 20)
                {
                    // The momentum buffers exist from the first step on: from here the count must not move.
                    afterWarmUp = SettledTensorCount();
                    residentAfterWarmUp = ResidentBytes();
                }
            }
            Assert.Equal(afterWarmUp, SettledTensorCount());
            long growth = ResidentBytes() - residentAfterWarmUp;
            Assert.True(growth < 40L << 20, $"resident memory grew by {growth >> 20} MiB over 130 steps");
        }
        // Not asserted: that disposing the model brings the count back to where it was. TorchSharp keeps two of the
        // handles it creates for each layer built by libtorch (Conv3d, BatchNorm3d) after the layer is disposed: a
        // constant per model built, not growth over steps.
    }
}
