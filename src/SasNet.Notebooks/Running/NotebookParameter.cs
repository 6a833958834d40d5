using System.Globalization;
using System.Text;

namespace SasNet.Notebooks.Running;

/// <summary>
/// A value given on the command line for a variable of the notebook's <c>parameters</c> cell: either
/// text to convert to the variable's type (<c>--param Name=Value</c>) or a C# expression
/// (<c>--param-code Name=Expr</c>).
/// </summary>
/// <param name="Name">The variable name.</param>
/// <param name="Value">The text or expression.</param>
/// <param name="IsCode">Whether <paramref name="Value"/> is C# to paste as is.</param>
public sealed record NotebookParameter(string Name, string Value, bool IsCode = false)
{
    /// <summary>Parses "Name=Value" as given on a command line.</summary>
    /// <exception cref="FormatException">No '=' or an empty or invalid name.</exception>
    public static NotebookParameter Parse(string assignment, bool isCode = false)
    {
        int equals = assignment.IndexOf('=');
        if (equals <= 0)
            throw new FormatException($"parameter '{assignment}' must look like Name=Value");
        var name = assignment[..equals].Trim();
        if (!IsIdentifier(name))
            throw new FormatException($"parameter name '{name}' is not a C# identifier");
        return new NotebookParameter(name, assignment[(equals + 1)..], isCode);
    }

    /// <summary>
    /// The C# assignment that gives the parameter its value, for a variable of <paramref name="variableType"/>:
    /// strings become string literals, numbers and booleans literals, enums <c>Type.Member</c>.
    /// </summary>
    /// <exception cref="FormatException">The value does not fit the type, or the type has no literal form.</exception>
    public string ToAssignment(Type variableType)
    {
        if (IsCode) return $"{Name} = {Value};";
        return $"{Name} = {ToLiteral(variableType)};";
    }

    private string ToLiteral(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null || !type.IsValueType)
        {
            if (Value == "null") return "null";
            type = underlying ?? type;
        }
        var culture = CultureInfo.InvariantCulture;
        if (type == typeof(string) || type == typeof(object)) return StringLiteral(Value);
        if (type == typeof(bool))
            return bool.TryParse(Value, out var flag) ? (flag ? "true" : "false") : throw Mismatch(type);
        if (type.IsEnum)
        {
            if (!Enum.TryParse(type, Value, ignoreCase: true, out var member) || !Enum.IsDefined(type, member!))
                throw new FormatException($"parameter {Name}: '{Value}' is not one of {type.Name}'s values: {string.Join(", ", Enum.GetNames(type))}");
            if (IsDeclaredInScript(type))
                throw new FormatException($"parameter {Name}: its enum type {type.Name} is declared in the notebook itself and cannot be named from outside; use --param-code {Name}=\"{type.Name}.{member}\"");
            return $"global::{type.FullName!.Replace('+', '.')}.{member}";
        }
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Int32 => int.TryParse(Value, NumberStyles.Integer, culture, out var i) ? i.ToString(culture) : throw Mismatch(type),
            TypeCode.Int64 => long.TryParse(Value, NumberStyles.Integer, culture, out var l) ? l.ToString(culture) + "L" : throw Mismatch(type),
            TypeCode.Double => double.TryParse(Value, NumberStyles.Float, culture, out var d) && double.IsFinite(d) ? DoubleLiteral(d) : throw Mismatch(type),
            TypeCode.Single => float.TryParse(Value, NumberStyles.Float, culture, out var f) && float.IsFinite(f) ? f.ToString("R", culture) + "f" : throw Mismatch(type),
            TypeCode.Decimal => decimal.TryParse(Value, NumberStyles.Float, culture, out var m) ? m.ToString(culture) + "m" : throw Mismatch(type),
            TypeCode.Int16 or TypeCode.Byte or TypeCode.SByte or TypeCode.UInt16 =>
                long.TryParse(Value, NumberStyles.Integer, culture, out var s) ? $"({type.Name}){s.ToString(culture)}" : throw Mismatch(type),
            TypeCode.UInt32 or TypeCode.UInt64 =>
                ulong.TryParse(Value, NumberStyles.Integer, culture, out var u) ? u.ToString(culture) + "UL" : throw Mismatch(type),
            _ => throw new FormatException($"parameter {Name}: variables of type {type.Name} cannot be set from text; use --param-code {Name}=<C# expression>"),
        };
    }

    private FormatException Mismatch(Type type) =>
        new($"parameter {Name}: '{Value}' is not a valid {type.Name}");

    private static string DoubleLiteral(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }

    // Types declared in a script live in the submission's dynamic assembly and have no name usable from outside it.
    private static bool IsDeclaredInScript(Type type) =>
        type.Assembly.IsDynamic || (type.FullName ?? "").StartsWith("Submission#", StringComparison.Ordinal);

    /// <summary>A C# regular string literal for <paramref name="text"/>.</summary>
    public static string StringLiteral(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return builder.Append('"').ToString();
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');
}
