using System.Text.Json.Serialization;

namespace SasNet.Plots.Figures;

/// <summary>
/// A plotly trace. Subclasses map one plotly trace type each; property names follow the plotly.js 2.35
/// schema (<c>showlegend</c>, <c>colorscale</c>, <c>error_y</c>, ...). Unset (null) properties are omitted, so
/// plotly's defaults apply.
/// </summary>
public abstract class Trace
{
    /// <summary>The plotly trace type ("heatmap", "scatter", ...).</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-10)]
    public abstract string Type { get; }

    /// <summary>Legend and hover name.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>Whether the trace has a legend entry.</summary>
    [JsonPropertyName("showlegend")] public bool? ShowLegend { get; set; }

    /// <summary>true, false, or "legendonly".</summary>
    [JsonPropertyName("visible")] public object? Visible { get; set; }

    /// <summary>Opacity 0–1.</summary>
    [JsonPropertyName("opacity")] public double? Opacity { get; set; }

    /// <summary>Hover label content, e.g. "x+y+z", "skip".</summary>
    [JsonPropertyName("hoverinfo")] public string? HoverInfo { get; set; }

    /// <summary>Hover template, e.g. "x=%{x}&lt;br&gt;y=%{y}&lt;extra&gt;&lt;/extra&gt;".</summary>
    [JsonPropertyName("hovertemplate")] public string? HoverTemplate { get; set; }

    /// <summary>Groups traces that toggle together in the legend.</summary>
    [JsonPropertyName("legendgroup")] public string? LegendGroup { get; set; }
}

/// <summary>A trace on 2D cartesian axes ("x", "y" or "x2", "y2" for subplots).</summary>
public abstract class CartesianTrace : Trace
{
    /// <summary>The x axis id ("x", "x2", ...).</summary>
    [JsonPropertyName("xaxis")] public string? XAxis { get; set; }

    /// <summary>The y axis id ("y", "y2", ...).</summary>
    [JsonPropertyName("yaxis")] public string? YAxis { get; set; }

    /// <summary>
    /// Traces with the same offset group share one slot of a category; bars and (with <c>layout.scattermode = "group"</c>)
    /// scatter points of one group line up.
    /// </summary>
    [JsonPropertyName("offsetgroup")] public string? OffsetGroup { get; set; }
}

/// <summary>A 2D colour image of a matrix (<c>type: heatmap</c>).</summary>
public sealed class HeatmapTrace : CartesianTrace
{
    /// <inheritdoc/>
    public override string Type => "heatmap";

    /// <summary>The matrix, rows along y.</summary>
    [JsonPropertyName("z")] public DataArray? Z { get; set; }

    /// <summary>x of the first column.</summary>
    [JsonPropertyName("x0")] public double? X0 { get; set; }

    /// <summary>Column step along x.</summary>
    [JsonPropertyName("dx")] public double? DX { get; set; }

    /// <summary>y of the first row.</summary>
    [JsonPropertyName("y0")] public double? Y0 { get; set; }

    /// <summary>Row step along y.</summary>
    [JsonPropertyName("dy")] public double? DY { get; set; }

    /// <summary>A named scale ("Greys", "Viridis") or a list of [fraction, colour] pairs.</summary>
    [JsonPropertyName("colorscale")] public object? ColorScale { get; set; }

    /// <summary>Value at the bottom of the colour scale.</summary>
    [JsonPropertyName("zmin")] public double? ZMin { get; set; }

    /// <summary>Value at the top of the colour scale.</summary>
    [JsonPropertyName("zmax")] public double? ZMax { get; set; }

    /// <summary>Whether the colour bar is drawn.</summary>
    [JsonPropertyName("showscale")] public bool? ShowScale { get; set; }

    /// <summary>Reverses the colour scale.</summary>
    [JsonPropertyName("reversescale")] public bool? ReverseScale { get; set; }
}

/// <summary>Contour lines of a matrix (<c>type: contour</c>), used for mask outlines.</summary>
public sealed class ContourTrace : CartesianTrace
{
    /// <inheritdoc/>
    public override string Type => "contour";

    /// <summary>The matrix, rows along y.</summary>
    [JsonPropertyName("z")] public DataArray? Z { get; set; }

    /// <summary>x of the first column.</summary>
    [JsonPropertyName("x0")] public double? X0 { get; set; }

    /// <summary>Column step along x.</summary>
    [JsonPropertyName("dx")] public double? DX { get; set; }

    /// <summary>y of the first row.</summary>
    [JsonPropertyName("y0")] public double? Y0 { get; set; }

    /// <summary>Row step along y.</summary>
    [JsonPropertyName("dy")] public double? DY { get; set; }

    /// <summary>Which levels are drawn and how.</summary>
    [JsonPropertyName("contours")] public ContourLevels? Contours { get; set; }

    /// <summary>Line style of the contours.</summary>
    [JsonPropertyName("line")] public LineStyle? Line { get; set; }

    /// <summary>Colour scale (a single-colour scale gives single-colour lines).</summary>
    [JsonPropertyName("colorscale")] public object? ColorScale { get; set; }

    /// <summary>Whether the colour bar is drawn.</summary>
    [JsonPropertyName("showscale")] public bool? ShowScale { get; set; }
}

/// <summary>Contour levels: <c>start</c>, <c>end</c>, <c>size</c>, <c>coloring</c>.</summary>
public sealed class ContourLevels
{
    /// <summary>First level.</summary>
    [JsonPropertyName("start")] public double? Start { get; set; }

    /// <summary>Last level.</summary>
    [JsonPropertyName("end")] public double? End { get; set; }

    /// <summary>Step between levels.</summary>
    [JsonPropertyName("size")] public double? Size { get; set; }

    /// <summary>"fill", "heatmap", "lines" or "none".</summary>
    [JsonPropertyName("coloring")] public string? Coloring { get; set; }

    /// <summary>Whether level values are written on the lines.</summary>
    [JsonPropertyName("showlabels")] public bool? ShowLabels { get; set; }
}

/// <summary>Lines and/or markers (<c>type: scatter</c>): training curves, profiles.</summary>
public sealed class ScatterTrace : CartesianTrace
{
    /// <inheritdoc/>
    public override string Type => "scatter";

    /// <summary>x values.</summary>
    [JsonPropertyName("x")] public DataArray? X { get; set; }

    /// <summary>y values.</summary>
    [JsonPropertyName("y")] public DataArray? Y { get; set; }

    /// <summary>"lines", "markers", "lines+markers", "text"...</summary>
    [JsonPropertyName("mode")] public string? Mode { get; set; }

    /// <summary>Line style.</summary>
    [JsonPropertyName("line")] public LineStyle? Line { get; set; }

    /// <summary>Marker style.</summary>
    [JsonPropertyName("marker")] public MarkerStyle? Marker { get; set; }

    /// <summary>Vertical error bars.</summary>
    [JsonPropertyName("error_y")] public ErrorBars? ErrorY { get; set; }

    /// <summary>Whether gaps (null y) are bridged.</summary>
    [JsonPropertyName("connectgaps")] public bool? ConnectGaps { get; set; }

    /// <summary>Text drawn at the points when <see cref="Mode"/> contains "text".</summary>
    [JsonPropertyName("text")] public DataArray? Text { get; set; }

    /// <summary>Where the text sits relative to its point, e.g. "top center".</summary>
    [JsonPropertyName("textposition")] public string? TextPosition { get; set; }
}

/// <summary>Bars (<c>type: bar</c>): ablation results.</summary>
public sealed class BarTrace : CartesianTrace
{
    /// <inheritdoc/>
    public override string Type => "bar";

    /// <summary>Categories (or positions).</summary>
    [JsonPropertyName("x")] public DataArray? X { get; set; }

    /// <summary>Bar heights.</summary>
    [JsonPropertyName("y")] public DataArray? Y { get; set; }

    /// <summary>Bar styling (colour).</summary>
    [JsonPropertyName("marker")] public MarkerStyle? Marker { get; set; }

    /// <summary>Error bars on the heights.</summary>
    [JsonPropertyName("error_y")] public ErrorBars? ErrorY { get; set; }

    /// <summary>Text written on or above the bars.</summary>
    [JsonPropertyName("text")] public DataArray? Text { get; set; }

    /// <summary>"inside", "outside", "auto", "none".</summary>
    [JsonPropertyName("textposition")] public string? TextPosition { get; set; }
}

/// <summary>A triangle mesh in 3D (<c>type: mesh3d</c>): organ surfaces.</summary>
public sealed class Mesh3dTrace : Trace
{
    /// <inheritdoc/>
    public override string Type => "mesh3d";

    /// <summary>Vertex x coordinates.</summary>
    [JsonPropertyName("x")] public DataArray? X { get; set; }

    /// <summary>Vertex y coordinates.</summary>
    [JsonPropertyName("y")] public DataArray? Y { get; set; }

    /// <summary>Vertex z coordinates.</summary>
    [JsonPropertyName("z")] public DataArray? Z { get; set; }

    /// <summary>First vertex of each triangle.</summary>
    [JsonPropertyName("i")] public DataArray? I { get; set; }

    /// <summary>Second vertex of each triangle.</summary>
    [JsonPropertyName("j")] public DataArray? J { get; set; }

    /// <summary>Third vertex of each triangle.</summary>
    [JsonPropertyName("k")] public DataArray? K { get; set; }

    /// <summary>One colour for the whole mesh.</summary>
    [JsonPropertyName("color")] public string? Color { get; set; }

    /// <summary>Flat (per face) instead of smooth shading.</summary>
    [JsonPropertyName("flatshading")] public bool? FlatShading { get; set; }

    /// <summary>Lighting coefficients.</summary>
    [JsonPropertyName("lighting")] public MeshLighting? Lighting { get; set; }

    /// <summary>Which 3D scene ("scene", "scene2").</summary>
    [JsonPropertyName("scene")] public string? Scene { get; set; }
}

/// <summary>Lighting of a mesh3d trace.</summary>
public sealed class MeshLighting
{
    /// <summary>Ambient light 0–1.</summary>
    [JsonPropertyName("ambient")] public double? Ambient { get; set; }

    /// <summary>Diffuse reflection 0–1.</summary>
    [JsonPropertyName("diffuse")] public double? Diffuse { get; set; }

    /// <summary>Specular reflection 0–2.</summary>
    [JsonPropertyName("specular")] public double? Specular { get; set; }

    /// <summary>Roughness 0–1.</summary>
    [JsonPropertyName("roughness")] public double? Roughness { get; set; }
}

/// <summary>A table (<c>type: table</c>).</summary>
public sealed class TableTrace : Trace
{
    /// <inheritdoc/>
    public override string Type => "table";

    /// <summary>Header cells.</summary>
    [JsonPropertyName("header")] public TableCells? Header { get; set; }

    /// <summary>Body cells, given column by column.</summary>
    [JsonPropertyName("cells")] public TableCells? Cells { get; set; }

    /// <summary>Relative column widths.</summary>
    [JsonPropertyName("columnwidth")] public DataArray? ColumnWidth { get; set; }
}

/// <summary>Header or body cells of a table trace.</summary>
public sealed class TableCells
{
    /// <summary>Values, one array per column.</summary>
    [JsonPropertyName("values")] public DataArray? Values { get; set; }

    /// <summary>"left", "center", "right".</summary>
    [JsonPropertyName("align")] public string? Align { get; set; }

    /// <summary>Background fill.</summary>
    [JsonPropertyName("fill")] public FillStyle? Fill { get; set; }

    /// <summary>Text font.</summary>
    [JsonPropertyName("font")] public FontStyle? Font { get; set; }

    /// <summary>Row height in pixels.</summary>
    [JsonPropertyName("height")] public double? Height { get; set; }
}

/// <summary>A fill colour.</summary>
public sealed class FillStyle
{
    /// <summary>CSS colour, or an array of colours (per column) for tables.</summary>
    [JsonPropertyName("color")] public object? Color { get; set; }
}

/// <summary>Line styling.</summary>
public sealed class LineStyle
{
    /// <summary>CSS colour.</summary>
    [JsonPropertyName("color")] public string? Color { get; set; }

    /// <summary>Width in pixels.</summary>
    [JsonPropertyName("width")] public double? Width { get; set; }

    /// <summary>"solid", "dot", "dash", "dashdot".</summary>
    [JsonPropertyName("dash")] public string? Dash { get; set; }

    /// <summary>"linear", "spline", "hv".</summary>
    [JsonPropertyName("shape")] public string? Shape { get; set; }
}

/// <summary>Marker styling.</summary>
public sealed class MarkerStyle
{
    /// <summary>CSS colour.</summary>
    [JsonPropertyName("color")] public string? Color { get; set; }

    /// <summary>Size in pixels.</summary>
    [JsonPropertyName("size")] public double? Size { get; set; }

    /// <summary>"circle", "square", "diamond"...</summary>
    [JsonPropertyName("symbol")] public string? Symbol { get; set; }
}

/// <summary>Error bars given as data (<c>type: data</c>).</summary>
public sealed class ErrorBars
{
    /// <summary>"data", "percent", "constant", "sqrt".</summary>
    [JsonPropertyName("type")] public string Kind { get; set; } = "data";

    /// <summary>Half-lengths (symmetric bars).</summary>
    [JsonPropertyName("array")] public DataArray? Array { get; set; }

    /// <summary>Whether the bars are shown.</summary>
    [JsonPropertyName("visible")] public bool Visible { get; set; } = true;

    /// <summary>Bar colour.</summary>
    [JsonPropertyName("color")] public string? Color { get; set; }

    /// <summary>Cap width in pixels.</summary>
    [JsonPropertyName("width")] public double? Width { get; set; }
}

/// <summary>Font settings.</summary>
public sealed class FontStyle
{
    /// <summary>Size in points.</summary>
    [JsonPropertyName("size")] public double? Size { get; set; }

    /// <summary>CSS colour.</summary>
    [JsonPropertyName("color")] public string? Color { get; set; }

    /// <summary>CSS font family.</summary>
    [JsonPropertyName("family")] public string? Family { get; set; }
}
