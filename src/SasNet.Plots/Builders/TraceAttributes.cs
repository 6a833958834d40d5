using Plotly.NET;

namespace SasNet.Plots.Builders;

/// <summary>
/// Sets plotly attributes that the Plotly.NET.CSharp chart functions take no parameter for (heatmap origin and
/// step, colour range, hover template, offset group, ...). Plotly.NET traces are dynamic objects keyed by the
/// plotly.js attribute names, so this is how Plotly.NET itself stores them.
/// </summary>
internal static class TraceAttributes
{
    /// <summary>Sets each (plotly attribute, value) on every trace of <paramref name="chart"/> and returns the chart.</summary>
    public static GenericChart WithTraceAttributes(this GenericChart chart, params (string Name, object Value)[] attributes)
    {
        foreach (var trace in GenericChart.getTraces(chart))
        {
            foreach (var (name, value) in attributes) trace.SetProperty(name, value);
        }
        return chart;
    }
}
