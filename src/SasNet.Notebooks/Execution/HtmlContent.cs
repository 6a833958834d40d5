namespace SasNet.Notebooks.Execution;

/// <summary>A piece of HTML to show as is, the value <c>HTML("...")</c> returns in a notebook.</summary>
public sealed class HtmlContent
{
    /// <summary>Wraps <paramref name="html"/> (not escaped).</summary>
    public HtmlContent(string html) => Html = html ?? "";

    /// <summary>The HTML markup.</summary>
    public string Html { get; }

    /// <summary>The markup, which is what makes the display machinery render it as text/html.</summary>
    public string ToHtml() => Html;

    /// <inheritdoc/>
    public override string ToString() => Html;
}
