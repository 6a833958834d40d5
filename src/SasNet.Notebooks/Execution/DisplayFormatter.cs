using System.Collections;
using System.Globalization;
using System.Reflection;

namespace SasNet.Notebooks.Execution;

/// <summary>
/// Turns a value into a MIME bundle the way Polyglot Notebooks shows it, for the cases the kit uses:
/// anything with a public <c>string ToHtml()</c> becomes text/html (that is how figures and tables from
/// libraries that do not know this runner render), everything else becomes text/plain.
/// </summary>
public static class DisplayFormatter
{
    /// <summary>MIME type of HTML outputs.</summary>
    public const string HtmlMime = "text/html";

    /// <summary>MIME type of plain-text outputs.</summary>
    public const string PlainMime = "text/plain";

    private const int MaxListedItems = 100;

    /// <summary>The MIME bundle for <paramref name="value"/>.</summary>
    public static IReadOnlyDictionary<string, string> Format(object? value)
    {
        if (value is not null && FindToHtml(value.GetType()) is { } toHtml)
        {
            string html;
            try
            {
                html = (string?)toHtml.Invoke(value, null) ?? "";
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                // Show the library's own exception, not the reflection wrapper.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
            return new Dictionary<string, string> { [HtmlMime] = html };
        }
        return new Dictionary<string, string> { [PlainMime] = ToPlainText(value) };
    }

    /// <summary>Plain-text form: invariant culture for numbers, items listed for collections, ToString otherwise.</summary>
    public static string ToPlainText(object? value) => value switch
    {
        null => "<null>",
        string text => text,
        bool flag => flag ? "True" : "False",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IDictionary dictionary => ListItems(dictionary.Cast<DictionaryEntry>().Select(e => $"[{ToPlainText(e.Key)}, {ToPlainText(e.Value)}]")),
        IEnumerable items when UsesDefaultToString(value) => ListItems(items.Cast<object?>().Select(ToPlainText)),
        _ => value.ToString() ?? "",
    };

    private static string ListItems(IEnumerable<string> items)
    {
        var shown = items.Take(MaxListedItems + 1).ToList();
        var more = shown.Count > MaxListedItems ? ", …" : "";
        return "[" + string.Join(", ", shown.Take(MaxListedItems)) + more + "]";
    }

    private static bool UsesDefaultToString(object value) =>
        value.GetType().GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType == typeof(object);

    private static MethodInfo? FindToHtml(Type type)
    {
        var method = type.GetMethod("ToHtml", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        return method is not null && method.ReturnType == typeof(string) ? method : null;
    }
}
