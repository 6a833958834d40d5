using System.Globalization;
using SasNet.Training;

namespace SasNet.Tests.Training;

public class TrainingHistoryTests
{
    private static TrainingHistory Sample()
    {
        var history = new TrainingHistory();
        history.Add(new IterationRecord(1, 0.9, new Dictionary<string, double> { ["seg"] = 0.8, ["gamma"] = 0.1 }, 0.01, 0.25));
        // A part that appears later (and one that disappears) must keep its column.
        history.Add(new IterationRecord(2, 1.0 / 3, new Dictionary<string, double> { ["seg"] = 0.7, ["plc"] = 0.05 }, 0.01, 0.5));
        history.Add(new IterationRecord(3, 0.5, new Dictionary<string, double> { ["seg"] = 0.6, ["plc"] = 0.04, ["gamma"] = 0.2 }, 0.001, 0.125));
        history.Add(new ValidationRecord(2, 0.75, 0.6, 3.5, 1.25));
        return history;
    }

    [Fact]
    public void JsonRoundTripKeepsEveryRecordExactly()
    {
        using var folder = new TempFolder();
        var history = Sample();
        history.Save(folder.Path);
        var back = TrainingHistory.Load(folder.Path);

        Assert.Equal(history.Iterations.Count, back.Iterations.Count);
        for (int i = 0; i < history.Iterations.Count; i++)
        {
            var (a, b) = (history.Iterations[i], back.Iterations[i]);
            Assert.Equal((a.Iteration, a.Loss, a.LearningRate, a.Seconds), (b.Iteration, b.Loss, b.LearningRate, b.Seconds));
            Assert.Equal(a.Parts.OrderBy(p => p.Key), b.Parts.OrderBy(p => p.Key));
        }
        Assert.Equal(history.Validations, back.Validations);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void CsvHasOneColumnPerPartAndBlanksWhereAPartIsMissing()
    {
        using var folder = new TempFolder();
        Sample().Save(folder.Path);
        var lines = File.ReadAllLines(Path.Combine(folder.Path, "history.csv"));
        Assert.Equal("iteration,loss,lr,seconds,seg,gamma,plc", lines[0]);
        Assert.Equal(4, lines.Length);
        var second = lines[2].Split(',');
        Assert.Equal(1.0 / 3, double.Parse(second[1], CultureInfo.InvariantCulture)); // "R" format: exact
        Assert.Equal("", second[5]); // no gamma at iteration 2
        Assert.Equal(0.05, double.Parse(second[6], CultureInfo.InvariantCulture));
        var validation = File.ReadAllLines(Path.Combine(folder.Path, "validation.csv"));
        Assert.Equal(["iteration,dice,jaccard,hd95,asd", "2,0.75,0.6,3.5,1.25"], validation);
    }

    [Fact]
    public void TruncateAfterDropsLaterRecordsAndMovingAverageUsesTheWindow()
    {
        var history = Sample();
        Assert.Equal((0.9 + 1.0 / 3 + 0.5) / 3, history.MovingAverage(2, 10), 12);
        Assert.Equal((1.0 / 3 + 0.5) / 2, history.MovingAverage(2, 2), 12);
        history.TruncateAfter(1);
        Assert.Single(history.Iterations);
        Assert.Empty(history.Validations);
    }
}
