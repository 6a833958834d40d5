using System.Reflection;

namespace SasNet.Testing;

/// <summary>
/// The one naming convention for tests, compiled into every test project: a test's name is a PascalCase sentence with no
/// underscores (<c>AFailingCellStopsTheRun</c>). Field and member names are set in <c>.editorconfig</c> and checked by
/// <c>dotnet format --verify-no-changes</c>; that check cannot tell <c>A_failing_cell</c> from PascalCase, this one can.
/// </summary>
public class TestNamingTests
{
    [Fact]
    public void EveryTestIsNamedInPascalCaseWithoutUnderscores()
    {
        var offenders = typeof(TestNamingTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any())
            .Where(m => m.Name.Contains('_', StringComparison.Ordinal) || !char.IsUpper(m.Name[0]))
            .Select(m => $"{m.DeclaringType?.Name}.{m.Name}")
            .ToList();
        Assert.True(offenders.Count == 0, "tests not named in PascalCase: " + string.Join(", ", offenders));
    }
}
