using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace SasNet.Notebooks.Export;

/// <summary>
/// A small Markdown-to-HTML converter for notebook text: headings, paragraphs, emphasis, inline code,
/// fenced code blocks, ordered and bullet lists (nested by indentation), pipe tables, links, images,
/// block quotes and rules. Math (<c>$...$</c>, <c>$$...$$</c>) is left as written, for a math renderer
/// or the reader. Raw HTML is escaped, so a notebook cannot inject markup into the exported page.
/// </summary>
public static partial class MarkdownRenderer
{
    /// <summary>Renders <paramref name="markdown"/> to an HTML fragment.</summary>
    public static string ToHtml(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var html = new StringBuilder();
        RenderBlocks(lines, 0, lines.Length, html);
        return html.ToString();
    }

    private static void RenderBlocks(string[] lines, int start, int end, StringBuilder html)
    {
        int i = start;
        while (i < end)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line)) { i++; continue; }

            if (Fence().Match(line) is { Success: true } fence)
            {
                var marker = fence.Groups["marker"].Value;
                var language = fence.Groups["info"].Value.Trim();
                var code = new List<string>();
                i++;
                while (i < end && !lines[i].TrimStart().StartsWith(marker, StringComparison.Ordinal)) code.Add(lines[i++]);
                i++; // closing fence (or end of text)
                var languageClass = language.Length > 0 ? $" class=\"language-{Escape(language.Split(' ')[0])}\"" : "";
                html.Append($"<pre class=\"md-code\"><code{languageClass}>{Escape(string.Join("\n", code))}</code></pre>\n");
                continue;
            }
            if (line.TrimStart().StartsWith("$$", StringComparison.Ordinal))
            {
                var math = new List<string> { line };
                bool closedOnSameLine = line.Trim().Length > 2 && line.Trim().EndsWith("$$", StringComparison.Ordinal);
                i++;
                if (!closedOnSameLine)
                {
                    while (i < end && !lines[i].TrimEnd().EndsWith("$$", StringComparison.Ordinal)) math.Add(lines[i++]);
                    if (i < end) math.Add(lines[i++]);
                }
                html.Append($"<div class=\"math\">{Escape(string.Join("\n", math))}</div>\n");
                continue;
            }
            if (Heading().Match(line) is { Success: true } heading)
            {
                int level = heading.Groups["hashes"].Value.Length;
                var text = heading.Groups["text"].Value.TrimEnd().TrimEnd('#').TrimEnd();
                html.Append($"<h{level} id=\"{Slug(text)}\">{Inline(text)}</h{level}>\n");
                i++;
                continue;
            }
            if (Rule().IsMatch(line))
            {
                html.Append("<hr>\n");
                i++;
                continue;
            }
            if (line.TrimStart().StartsWith('>'))
            {
                var quoted = new List<string>();
                while (i < end && lines[i].TrimStart().StartsWith('>'))
                {
                    var content = lines[i].TrimStart()[1..];
                    quoted.Add(content.StartsWith(' ') ? content[1..] : content);
                    i++;
                }
                html.Append("<blockquote>\n");
                RenderBlocks(quoted.ToArray(), 0, quoted.Count, html);
                html.Append("</blockquote>\n");
                continue;
            }
            if (i + 1 < end && line.Contains('|') && TableSeparator().IsMatch(lines[i + 1]))
            {
                i = RenderTable(lines, i, end, html);
                continue;
            }
            if (ListItem().IsMatch(line))
            {
                i = RenderList(lines, i, end, html);
                continue;
            }
            var paragraph = new List<string>();
            while (i < end && !string.IsNullOrWhiteSpace(lines[i]) && !StartsBlock(lines, i, end))
                paragraph.Add(lines[i++].Trim());
            html.Append($"<p>{Inline(string.Join("\n", paragraph))}</p>\n");
        }
    }

    private static bool StartsBlock(string[] lines, int i, int end)
    {
        var line = lines[i];
        return Fence().IsMatch(line) || Heading().IsMatch(line) || Rule().IsMatch(line)
            || line.TrimStart().StartsWith('>') || line.TrimStart().StartsWith("$$", StringComparison.Ordinal)
            || ListItem().IsMatch(line)
            || (i + 1 < end && line.Contains('|') && TableSeparator().IsMatch(lines[i + 1]));
    }

    private static int RenderList(string[] lines, int i, int end, StringBuilder html)
    {
        var first = ListItem().Match(lines[i]);
        int indent = first.Groups["indent"].Value.Length;
        bool ordered = char.IsDigit(first.Groups["marker"].Value[0]);
        var startNumber = ordered ? int.Parse(first.Groups["marker"].Value.TrimEnd('.', ')'), System.Globalization.CultureInfo.InvariantCulture) : 1;
        html.Append(ordered ? (startNumber != 1 ? $"<ol start=\"{startNumber}\">\n" : "<ol>\n") : "<ul>\n");
        while (i < end)
        {
            var item = ListItem().Match(lines[i]);
            if (!item.Success || item.Groups["indent"].Value.Length != indent) break;
            // An item's body: its first line, then continuation lines and deeper-indented sub-blocks.
            var body = new List<string> { item.Groups["text"].Value };
            i++;
            while (i < end)
            {
                var next = lines[i];
                if (string.IsNullOrWhiteSpace(next))
                {
                    if (i + 1 < end && LeadingSpaces(lines[i + 1]) > indent && !string.IsNullOrWhiteSpace(lines[i + 1])) { body.Add(""); i++; continue; }
                    break;
                }
                var nested = ListItem().Match(next);
                if (nested.Success && nested.Groups["indent"].Value.Length <= indent) break;
                if (!nested.Success && LeadingSpaces(next) <= indent && StartsBlock(lines, i, end)) break;
                body.Add(next.Length > indent ? next[Math.Min(LeadingSpaces(next), indent + 2)..] : next.TrimStart());
                i++;
            }
            html.Append("<li>");
            bool simple = body.Skip(1).All(l => !ListItem().IsMatch(l) && !string.IsNullOrWhiteSpace(l) && !Fence().IsMatch(l));
            if (simple)
                html.Append(Inline(string.Join("\n", body.Select(l => l.Trim()))));
            else
            {
                var inner = new StringBuilder();
                var bodyLines = body.ToArray();
                RenderBlocks(bodyLines, 0, bodyLines.Length, inner);
                // A single paragraph inside a list item reads better without its <p>.
                var text = inner.ToString();
                html.Append(text.StartsWith("<p>", StringComparison.Ordinal) ? UnwrapFirstParagraph(text) : text);
            }
            html.Append("</li>\n");
        }
        html.Append(ordered ? "</ol>\n" : "</ul>\n");
        return i;
    }

    private static string UnwrapFirstParagraph(string html)
    {
        int close = html.IndexOf("</p>\n", StringComparison.Ordinal);
        return close < 0 ? html : html[3..close] + "\n" + html[(close + 5)..];
    }

    private static int RenderTable(string[] lines, int i, int end, StringBuilder html)
    {
        var header = SplitRow(lines[i]);
        var alignments = SplitRow(lines[i + 1]).Select(cell =>
        {
            var c = cell.Trim();
            return c.StartsWith(':') && c.EndsWith(':') ? "center" : c.EndsWith(':') ? "right" : c.StartsWith(':') ? "left" : null;
        }).ToList();
        string Align(int column) => column < alignments.Count && alignments[column] is { } a ? $" style=\"text-align:{a}\"" : "";
        html.Append("<table>\n<thead><tr>");
        for (int c = 0; c < header.Count; c++) html.Append($"<th{Align(c)}>{Inline(header[c].Trim())}</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        i += 2;
        while (i < end && lines[i].Contains('|') && !string.IsNullOrWhiteSpace(lines[i]))
        {
            var row = SplitRow(lines[i]);
            html.Append("<tr>");
            for (int c = 0; c < header.Count; c++)
                html.Append($"<td{Align(c)}>{(c < row.Count ? Inline(row[c].Trim()) : "")}</td>");
            html.Append("</tr>\n");
            i++;
        }
        html.Append("</tbody>\n</table>\n");
        return i;
    }

    private static List<string> SplitRow(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.StartsWith('|')) trimmed = trimmed[1..];
        if (trimmed.EndsWith('|') && !trimmed.EndsWith("\\|", StringComparison.Ordinal)) trimmed = trimmed[..^1];
        // Split on pipes that are not escaped and not inside a code span.
        var cells = new List<string>();
        var current = new StringBuilder();
        bool inCode = false;
        for (int k = 0; k < trimmed.Length; k++)
        {
            char ch = trimmed[k];
            if (ch == '`') inCode = !inCode;
            if (ch == '\\' && k + 1 < trimmed.Length && trimmed[k + 1] == '|') { current.Append('|'); k++; continue; }
            if (ch == '|' && !inCode) { cells.Add(current.ToString()); current.Clear(); continue; }
            current.Append(ch);
        }
        cells.Add(current.ToString());
        return cells;
    }

    /// <summary>Renders inline Markdown (emphasis, code, links, images; math kept verbatim) to HTML.</summary>
    public static string Inline(string text)
    {
        // Code spans and math are set aside first so that nothing inside them is interpreted.
        var protectedParts = new List<string>();
        string Protect(string html)
        {
            protectedParts.Add(html);
            return $"\u0001{protectedParts.Count - 1}\u0002";
        }
        text = CodeSpan().Replace(text, m => Protect($"<code>{Escape(m.Groups["code"].Value.Trim())}</code>"));
        text = DisplayMath().Replace(text, m => Protect($"<span class=\"math\">{Escape(m.Value)}</span>"));
        text = InlineMath().Replace(text, m => Protect($"<span class=\"math\">{Escape(m.Value)}</span>"));
        text = Escape(text);
        text = Image().Replace(text, m => Protect($"<img src=\"{SafeUrl(m.Groups["url"].Value)}\" alt=\"{m.Groups["alt"].Value}\">"));
        text = Link().Replace(text, m => $"<a href=\"{SafeUrl(m.Groups["url"].Value)}\">{m.Groups["label"].Value}</a>");
        text = Autolink().Replace(text, m => $"<a href=\"{m.Value}\">{m.Value}</a>");
        text = Strong().Replace(text, m => $"<strong>{m.Groups["text"].Value}</strong>");
        text = Emphasis().Replace(text, m => $"<em>{m.Groups["text"].Value}</em>");
        text = Strike().Replace(text, m => $"<del>{m.Groups["text"].Value}</del>");
        text = HardBreak().Replace(text, "<br>\n");
        return ProtectedMarker().Replace(text, m => protectedParts[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]);
    }

    private static string SafeUrl(string url) =>
        url.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) ? "#" : url;

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static int LeadingSpaces(string line) => line.Length - line.TrimStart(' ').Length;

    private static string Slug(string heading) =>
        SlugJunk().Replace(heading.ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex(@"^\s*(?<marker>```+|~~~+)(?<info>.*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^\s{0,3}(?<hashes>#{1,6})\s+(?<text>.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s{0,3}([-*_])(\s*\1){2,}\s*$")]
    private static partial Regex Rule();

    [GeneratedRegex(@"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")]
    private static partial Regex TableSeparator();

    [GeneratedRegex(@"^(?<indent>\s*)(?<marker>[-*+]|\d{1,9}[.)])\s+(?<text>.*)$")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"(?<ticks>`+)(?<code>.+?)\k<ticks>")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\$\$.+?\$\$", RegexOptions.Singleline)]
    private static partial Regex DisplayMath();

    [GeneratedRegex(@"(?<![\\$\w])\$(?=\S)[^$\n]+?(?<=\S)\$(?![\w$])")]
    private static partial Regex InlineMath();

    [GeneratedRegex(@"!\[(?<alt>[^\]]*)\]\((?<url>[^)\s]+)(\s+&quot;[^)]*&quot;)?\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[(?<label>[^\]]+)\]\((?<url>[^)\s]+)(\s+&quot;[^)]*&quot;)?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"(?<![""=>\w])https?://[^\s<)]+")]
    private static partial Regex Autolink();

    [GeneratedRegex(@"(\*\*|__)(?=\S)(?<text>.+?)(?<=\S)\1")]
    private static partial Regex Strong();

    [GeneratedRegex(@"(?<![\w*])([*_])(?=[^\s*_])(?<text>.+?)(?<=[^\s*_])\1(?![\w*])")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"~~(?=\S)(?<text>.+?)(?<=\S)~~")]
    private static partial Regex Strike();

    [GeneratedRegex(@"( {2,}|\\)\n")]
    private static partial Regex HardBreak();

    [GeneratedRegex("\u0001(\\d+)\u0002")]
    private static partial Regex ProtectedMarker();

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex SlugJunk();
}
