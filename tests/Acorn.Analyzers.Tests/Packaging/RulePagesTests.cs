using Acorn.Analyzers.Rules;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Acorn.Analyzers.Tests.Packaging;

/// <summary>Every rule the analyzers report has its page, its row in the README table and its release entry, and no invented help link.</summary>
public sealed class RulePagesTests
{
    public static TheoryData<string> RuleIds()
    {
        var analyzers = new DiagnosticAnalyzer[] { new LockHoldingAnalyzer(), new MustNotHoldAcrossAwaitAnalyzer() };
        var data = new TheoryData<string>();
        foreach (var id in analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Order(StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    [Fact]
    public void The_rules_are_ACRN001_to_ACRN007() => Assert.Equal(
        Enumerable.Range(1, 7).Select(i => $"ACRN{i:000}"),
        RuleIds().Select(row => row.Data));

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_has_a_page_a_readme_row_a_release_entry_and_no_help_link(string id)
    {
        var root = RepositoryLayout.Root();
        var page = File.ReadAllText(Path.Combine(root, "docs", "analyzers", id + ".md"));
        Assert.StartsWith($"# {id} - ", page, StringComparison.Ordinal);
        Assert.Contains("## Non-compliant", page, StringComparison.Ordinal);
        Assert.Contains("## Compliant", page, StringComparison.Ordinal);

        var readme = File.ReadAllLines(Path.Combine(root, "docs", "analyzers", "README.md"));
        Assert.Contains(readme, line => line.StartsWith($"| [{id}]({id}.md) |", StringComparison.Ordinal));

        var releases = File.ReadAllText(Path.Combine(root, "src", "Acorn.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains(id + " |", releases, StringComparison.Ordinal);

        var analyzers = new DiagnosticAnalyzer[] { new LockHoldingAnalyzer(), new MustNotHoldAcrossAwaitAnalyzer() };
        Assert.All(
            analyzers.SelectMany(a => a.SupportedDiagnostics).Where(d => d.Id == id),
            descriptor => Assert.Equal(string.Empty, descriptor.HelpLinkUri));
    }
}
