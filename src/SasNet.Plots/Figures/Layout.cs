using System.Text.Json.Serialization;

namespace SasNet.Plots.Figures;

/// <summary>The plotly <c>layout</c>: title, size, axes, 3D scenes, subplot grid, legend and sliders.</summary>
public sealed class Layout
{
    /// <summary>Figure title.</summary>
    [JsonPropertyName("title")] public Title? Title { get; set; }

    /// <summary>Width in pixels (null: fill the container).</summary>
    [JsonPropertyName("width")] public int? Width { get; set; }

    /// <summary>Height in pixels.</summary>
    [JsonPropertyName("height")] public int? Height { get; set; }

    /// <summary>Whether plotly resizes the figure with its container.</summary>
    [JsonPropertyName("autosize")] public bool? AutoSize { get; set; }

    /// <summary>Margins in pixels.</summary>
    [JsonPropertyName("margin")] public Margin? Margin { get; set; }

    /// <summary>Whether the legend is shown.</summary>
    [JsonPropertyName("showlegend")] public bool? ShowLegend { get; set; }

    /// <summary>Legend placement.</summary>
    [JsonPropertyName("legend")] public Legend? Legend { get; set; }

    /// <summary>The first x axis.</summary>
    [JsonPropertyName("xaxis")] public Axis? XAxis { get; set; }

    /// <summary>The first y axis.</summary>
    [JsonPropertyName("yaxis")] public Axis? YAxis { get; set; }

    /// <summary>The first 3D scene.</summary>
    [JsonPropertyName("scene")] public Scene? Scene { get; set; }

    /// <summary>Subplot grid.</summary>
    [JsonPropertyName("grid")] public Grid? Grid { get; set; }

    /// <summary>"group", "stack", "overlay" for bar traces.</summary>
    [JsonPropertyName("barmode")] public string? BarMode { get; set; }

    /// <summary>"group" offsets scatter points by their trace's offset group, as grouped bars are.</summary>
    [JsonPropertyName("scattermode")] public string? ScatterMode { get; set; }

    /// <summary>Sliders (e.g. across slices).</summary>
    [JsonPropertyName("sliders")] public List<Slider>? Sliders { get; set; }

    /// <summary>Free-floating text (panel titles, notes).</summary>
    [JsonPropertyName("annotations")] public List<Annotation>? Annotations { get; set; }

    /// <summary>Default font.</summary>
    [JsonPropertyName("font")] public FontStyle? Font { get; set; }

    /// <summary>Background of the whole figure.</summary>
    [JsonPropertyName("paper_bgcolor")] public string? PaperBackground { get; set; }

    /// <summary>Background of the plotting area.</summary>
    [JsonPropertyName("plot_bgcolor")] public string? PlotBackground { get; set; }

    /// <summary>Further axes and scenes by plotly name ("xaxis2", "yaxis3", "scene2").</summary>
    [JsonExtensionData] public Dictionary<string, object> Extra { get; set; } = [];

    /// <summary>The x axis with 1-based index <paramref name="index"/> (1 is <see cref="XAxis"/>); created when missing.</summary>
    public Axis XAxisAt(int index) => AxisAt("xaxis", index, () => XAxis ??= new Axis());

    /// <summary>The y axis with 1-based index <paramref name="index"/> (1 is <see cref="YAxis"/>); created when missing.</summary>
    public Axis YAxisAt(int index) => AxisAt("yaxis", index, () => YAxis ??= new Axis());

    /// <summary>The 3D scene with 1-based index <paramref name="index"/> (1 is <see cref="Scene"/>); created when missing.</summary>
    public Scene SceneAt(int index)
    {
        if (index == 1) return Scene ??= new Scene();
        var key = $"scene{index}";
        if (Extra.TryGetValue(key, out var existing)) return existing as Scene ?? Reattach<Scene>(key, existing);
        var scene = new Scene();
        Extra[key] = scene;
        return scene;
    }

    // After a JSON round trip (Figure.Clone) extension entries are JsonElements; turn one back into its type.
    private T Reattach<T>(string key, object value) where T : class
    {
        var typed = System.Text.Json.JsonSerializer.Deserialize<T>(((System.Text.Json.JsonElement)value).GetRawText())!;
        Extra[key] = typed;
        return typed;
    }

    private Axis AxisAt(string prefix, int index, Func<Axis> first)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        if (index == 1) return first();
        var key = $"{prefix}{index}";
        if (Extra.TryGetValue(key, out var existing)) return existing as Axis ?? Reattach<Axis>(key, existing);
        var axis = new Axis();
        Extra[key] = axis;
        return axis;
    }
}

/// <summary>A title (<c>{"text": ...}</c>).</summary>
public sealed class Title
{
    /// <summary>Creates a title.</summary>
    public Title(string text) => Text = text;

    /// <summary>The text (may contain &lt;b&gt;, &lt;br&gt;, &lt;sub&gt;).</summary>
    [JsonPropertyName("text")] public string Text { get; set; }

    /// <summary>Implicit conversion from text (null stays null: no title).</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static implicit operator Title?(string? text) => text is null ? null : new(text);
}

/// <summary>Margins in pixels.</summary>
public sealed class Margin
{
    /// <summary>Left.</summary>
    [JsonPropertyName("l")] public int? Left { get; set; }

    /// <summary>Right.</summary>
    [JsonPropertyName("r")] public int? Right { get; set; }

    /// <summary>Top.</summary>
    [JsonPropertyName("t")] public int? Top { get; set; }

    /// <summary>Bottom.</summary>
    [JsonPropertyName("b")] public int? Bottom { get; set; }
}

/// <summary>Legend placement.</summary>
public sealed class Legend
{
    /// <summary>"v" or "h".</summary>
    [JsonPropertyName("orientation")] public string? Orientation { get; set; }

    /// <summary>Horizontal position in paper fraction.</summary>
    [JsonPropertyName("x")] public double? X { get; set; }

    /// <summary>Vertical position in paper fraction.</summary>
    [JsonPropertyName("y")] public double? Y { get; set; }

    /// <summary>Which side of the legend box <see cref="X"/> refers to: "left", "center", "right" or "auto".</summary>
    [JsonPropertyName("xanchor")] public string? XAnchor { get; set; }

    /// <summary>Which side of the legend box <see cref="Y"/> refers to: "top", "middle", "bottom" or "auto".</summary>
    [JsonPropertyName("yanchor")] public string? YAnchor { get; set; }
}

/// <summary>A 2D or 3D axis.</summary>
public sealed class Axis
{
    /// <summary>Axis title.</summary>
    [JsonPropertyName("title")] public Title? Title { get; set; }

    /// <summary>"linear", "log", "category".</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>[min, max].</summary>
    [JsonPropertyName("range")] public double[]? Range { get; set; }

    /// <summary>true, false or "reversed".</summary>
    [JsonPropertyName("autorange")] public object? AutoRange { get; set; }

    /// <summary>Ties this axis's scale to another axis ("x"), for square pixels.</summary>
    [JsonPropertyName("scaleanchor")] public string? ScaleAnchor { get; set; }

    /// <summary>Units of this axis per unit of the anchor axis.</summary>
    [JsonPropertyName("scaleratio")] public double? ScaleRatio { get; set; }

    /// <summary>"range" or "domain": what gives way when the scale is constrained.</summary>
    [JsonPropertyName("constrain")] public string? Constrain { get; set; }

    /// <summary>Whether grid lines are drawn.</summary>
    [JsonPropertyName("showgrid")] public bool? ShowGrid { get; set; }

    /// <summary>Whether tick labels are drawn.</summary>
    [JsonPropertyName("showticklabels")] public bool? ShowTickLabels { get; set; }

    /// <summary>Whether the zero line is drawn.</summary>
    [JsonPropertyName("zeroline")] public bool? ZeroLine { get; set; }

    /// <summary>Whether the axis (3D: its box and background) is shown.</summary>
    [JsonPropertyName("visible")] public bool? Visible { get; set; }

    /// <summary>Tick label format (d3-format), e.g. ".2f".</summary>
    [JsonPropertyName("tickformat")] public string? TickFormat { get; set; }

    /// <summary>Fraction of the plotting area [start, end] this axis spans.</summary>
    [JsonPropertyName("domain")] public double[]? Domain { get; set; }

    /// <summary>Axis this one overlays or is anchored to ("x", "y2", "free").</summary>
    [JsonPropertyName("anchor")] public string? Anchor { get; set; }

    /// <summary>Whether the plot margins grow to fit this axis's tick labels and title.</summary>
    [JsonPropertyName("automargin")] public bool? AutoMargin { get; set; }

    /// <summary>Another axis whose range this one follows ("x").</summary>
    [JsonPropertyName("matches")] public string? Matches { get; set; }
}

/// <summary>A 3D scene.</summary>
public sealed class Scene
{
    /// <summary>x axis.</summary>
    [JsonPropertyName("xaxis")] public Axis? XAxis { get; set; }

    /// <summary>y axis.</summary>
    [JsonPropertyName("yaxis")] public Axis? YAxis { get; set; }

    /// <summary>z axis.</summary>
    [JsonPropertyName("zaxis")] public Axis? ZAxis { get; set; }

    /// <summary>"auto", "cube", "data" (true proportions), "manual".</summary>
    [JsonPropertyName("aspectmode")] public string? AspectMode { get; set; }

    /// <summary>Relative lengths of the drawn axes when <see cref="AspectMode"/> is "manual".</summary>
    [JsonPropertyName("aspectratio")] public Vector3? AspectRatio { get; set; }

    /// <summary>Where the scene sits in the figure.</summary>
    [JsonPropertyName("domain")] public Domain? Domain { get; set; }

    /// <summary>Camera position.</summary>
    [JsonPropertyName("camera")] public Camera? Camera { get; set; }
}

/// <summary>A region of the figure in paper fractions.</summary>
public sealed class Domain
{
    /// <summary>[start, end] horizontally.</summary>
    [JsonPropertyName("x")] public double[]? X { get; set; }

    /// <summary>[start, end] vertically.</summary>
    [JsonPropertyName("y")] public double[]? Y { get; set; }
}

/// <summary>3D camera.</summary>
public sealed class Camera
{
    /// <summary>Eye position relative to the scene centre.</summary>
    [JsonPropertyName("eye")] public Vector3? Eye { get; set; }
}

/// <summary>A 3D vector for camera settings.</summary>
public sealed record Vector3(
    [property: JsonPropertyName("x")] double X,
    [property: JsonPropertyName("y")] double Y,
    [property: JsonPropertyName("z")] double Z);

/// <summary>Subplot grid (<c>layout.grid</c>).</summary>
public sealed class Grid
{
    /// <summary>Number of rows.</summary>
    [JsonPropertyName("rows")] public int Rows { get; set; }

    /// <summary>Number of columns.</summary>
    [JsonPropertyName("columns")] public int Columns { get; set; }

    /// <summary>"independent" (own axes per cell) or "coupled".</summary>
    [JsonPropertyName("pattern")] public string? Pattern { get; set; }

    /// <summary>"top to bottom" or "bottom to top".</summary>
    [JsonPropertyName("roworder")] public string? RowOrder { get; set; }
}

/// <summary>A slider whose steps call a plotly method (e.g. restyle) with arguments.</summary>
public sealed class Slider
{
    /// <summary>Index of the step selected at first.</summary>
    [JsonPropertyName("active")] public int? Active { get; set; }

    /// <summary>The steps.</summary>
    [JsonPropertyName("steps")] public List<SliderStep> Steps { get; set; } = [];

    /// <summary>The label that shows the current step.</summary>
    [JsonPropertyName("currentvalue")] public SliderCurrentValue? CurrentValue { get; set; }

    /// <summary>Padding in pixels.</summary>
    [JsonPropertyName("pad")] public Margin? Pad { get; set; }

    /// <summary>Horizontal position in paper fraction.</summary>
    [JsonPropertyName("x")] public double? X { get; set; }

    /// <summary>Length in paper fraction.</summary>
    [JsonPropertyName("len")] public double? Length { get; set; }
}

/// <summary>One slider step.</summary>
public sealed class SliderStep
{
    /// <summary>Step label.</summary>
    [JsonPropertyName("label")] public string? Label { get; set; }

    /// <summary>"restyle", "relayout", "update", "animate" or "skip".</summary>
    [JsonPropertyName("method")] public string Method { get; set; } = "restyle";

    /// <summary>Arguments of the method, e.g. [{"z": [...]}, [0, 1]] for restyle.</summary>
    [JsonPropertyName("args")] public List<object> Args { get; set; } = [];
}

/// <summary>How the slider's current step is shown.</summary>
public sealed class SliderCurrentValue
{
    /// <summary>Text before the value.</summary>
    [JsonPropertyName("prefix")] public string? Prefix { get; set; }

    /// <summary>Whether the value is shown.</summary>
    [JsonPropertyName("visible")] public bool? Visible { get; set; }
}

/// <summary>Text placed on the figure.</summary>
public sealed class Annotation
{
    /// <summary>The text.</summary>
    [JsonPropertyName("text")] public string? Text { get; set; }

    /// <summary>x position.</summary>
    [JsonPropertyName("x")] public double? X { get; set; }

    /// <summary>y position.</summary>
    [JsonPropertyName("y")] public double? Y { get; set; }

    /// <summary>"paper" or an axis id.</summary>
    [JsonPropertyName("xref")] public string? XRef { get; set; }

    /// <summary>"paper" or an axis id.</summary>
    [JsonPropertyName("yref")] public string? YRef { get; set; }

    /// <summary>Whether an arrow points at (x, y).</summary>
    [JsonPropertyName("showarrow")] public bool? ShowArrow { get; set; }

    /// <summary>Font.</summary>
    [JsonPropertyName("font")] public FontStyle? Font { get; set; }
}

/// <summary>The plotly <c>config</c> (interaction settings).</summary>
public sealed class PlotConfig
{
    /// <summary>Whether the figure resizes with the window.</summary>
    [JsonPropertyName("responsive")] public bool? Responsive { get; set; } = true;

    /// <summary>Whether the plotly logo is shown in the mode bar.</summary>
    [JsonPropertyName("displaylogo")] public bool? DisplayLogo { get; set; } = false;

    /// <summary>Whether scrolling zooms.</summary>
    [JsonPropertyName("scrollZoom")] public bool? ScrollZoom { get; set; }

    /// <summary>true, false or "hover".</summary>
    [JsonPropertyName("displayModeBar")] public object? DisplayModeBar { get; set; }
}
