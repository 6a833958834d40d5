using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Plotly.NET.TraceObjects;

namespace SasNet.Plots.Builders;

/// <summary>
/// Plotly.NET layout and trace objects with the few attributes the kit sets. Plotly.NET 6's <c>init</c> functions
/// take every attribute as a required F# option when called from C#, and Plotly.NET.CSharp covers traces but not
/// these objects, so they are filled here the way Plotly.NET fills them itself: as dynamic properties named after
/// the plotly.js attributes. Null arguments are left out, so plotly's defaults apply.
/// </summary>
internal static class LayoutParts
{
    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> unless the value is null; returns the object.</summary>
    public static T With<T>(this T target, string name, object? value) where T : DynamicObj.DynamicObj
    {
        if (value is not null) target.SetProperty(name, value);
        return target;
    }

    /// <summary>A title object (figure, axis or legend title).</summary>
    public static Title Title(string text) => new Title().With("text", text);

    /// <summary>A cartesian axis or a 3D scene axis. Axis ids are plotly's ("x", "x2", "y3").</summary>
    public static LinearAxis Axis(string? title = null, StyleParam.AxisType? type = null, (double Min, double Max)? range = null,
        string? scaleAnchor = null, double? scaleRatio = null, StyleParam.AxisConstraint? constrain = null, string? matches = null,
        bool? showTickLabels = null, bool? autoMargin = null, bool? showGrid = null, bool? zeroLine = null) =>
        new LinearAxis()
            .With("title", string.IsNullOrEmpty(title) ? null : Title(title))
            .With("type", type?.ToString())
            .With("range", range is var (min, max) ? new[] { min, max } : null)
            .With("scaleanchor", scaleAnchor)
            .With("scaleratio", scaleRatio)
            .With("constrain", constrain?.ToString())
            .With("matches", matches)
            .With("showticklabels", showTickLabels)
            .With("automargin", autoMargin)
            .With("showgrid", showGrid)
            .With("zeroline", zeroLine);

    /// <summary>Figure margins in pixels.</summary>
    public static Margin Margins(int left, int right, int top, int bottom) =>
        new Margin().With("l", left).With("r", right).With("t", top).With("b", bottom);

    /// <summary>Legend placement (x, y in paper fractions; beyond 0–1 is outside the plot area).</summary>
    public static Legend Legend(StyleParam.Orientation orientation, double x, double y,
        StyleParam.XAnchorPosition? xAnchor = null, StyleParam.YAnchorPosition? yAnchor = null) =>
        new Legend()
            .With("orientation", orientation.ToString())
            .With("x", x).With("y", y)
            .With("xanchor", xAnchor?.ToString())
            .With("yanchor", yAnchor?.ToString());

    /// <summary>A grey note written at the bottom left of the figure (in paper coordinates).</summary>
    public static Annotation Note(string text) =>
        new Annotation()
            .With("text", text)
            .With("x", 0.0).With("y", 0.0).With("xref", "paper").With("yref", "paper")
            .With("xanchor", "left").With("yanchor", "bottom").With("showarrow", false)
            .With("font", new Font().With("size", 11).With("color", "#666666"));

    /// <summary>A slider over <paramref name="steps"/>, starting at step <paramref name="active"/>.</summary>
    public static Slider Slider(int active, IEnumerable<SliderStep> steps, string currentValuePrefix, int padTop) =>
        new Slider()
            .With("active", active)
            .With("steps", steps.ToArray())
            .With("currentvalue", new SliderCurrentValue().With("prefix", currentValuePrefix))
            .With("pad", new Padding().With("t", padTop));

    /// <summary>
    /// A slider step calling <paramref name="method"/> with <paramref name="args"/> as given (plotly's argument list,
    /// e.g. an update object and trace indices for restyle).
    /// </summary>
    public static SliderStep SliderStep(string label, StyleParam.Method method, params object[] args) =>
        new SliderStep().With("label", label).With("method", method.ToString()).With("args", args);

    /// <summary>Symmetric error bars with the given half-lengths (NaN: no bar).</summary>
    public static Error ErrorBars(IEnumerable<double> halfLengths, int capWidth) =>
        new Error()
            .With("type", StyleParam.ErrorType.Data.ToString())
            .With("array", halfLengths.ToArray())
            .With("visible", true)
            .With("width", capWidth);

    /// <summary>A solid line of one colour, <paramref name="width"/> pixels wide.</summary>
    public static Line Line(string color, double width) => new Line().With("color", color).With("width", width);

    /// <summary>A single contour level at 0.5 drawn as a line: the outline of a 0/1 mask.</summary>
    public static Contours MaskOutlineLevel() =>
        new Contours()
            .With("coloring", StyleParam.ContourColoring.Lines.ToString())
            .With("start", 0.5).With("end", 0.5).With("size", 1.0)
            .With("showlabels", false);

    /// <summary>Interaction settings shared by the kit's charts: resize with the page, no plotly logo.</summary>
    public static Config Interactive() => new Config().With("responsive", true).With("displaylogo", false);
}
