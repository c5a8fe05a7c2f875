using System.Globalization;
using System.Text;

namespace Acorn.Bench.Reporting;

/// <summary>
/// Summarises BenchmarkDotNet results into a report: the table of each <c>*-report-github.md</c> file in an artifacts folder,
/// with the file's time and the environment line BenchmarkDotNet wrote, so that results from an older run are visibly older.
/// </summary>
internal static class BenchmarkDotNetSummary
{
    public static string Markdown(string artifactsFolder, string command, string? failure)
    {
        var md = new StringBuilder();
        var results = Path.Combine(artifactsFolder, "results");
        var files = Directory.Exists(results) ? Directory.GetFiles(results, "*-report-github.md").Order(StringComparer.Ordinal).ToList() : [];
        if (failure is not null)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"**The micro-benchmark run of this report failed** ({failure}); the tables below, if any, are from an earlier run: check their dates.").AppendLine();
        }

        if (files.Count == 0)
        {
            return md.AppendLine(CultureInfo.InvariantCulture, $"No BenchmarkDotNet results in `{results}`: run `{command}`.").ToString();
        }

        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            var environment = lines.SkipWhile(l => !l.StartsWith("```", StringComparison.Ordinal)).Skip(1).TakeWhile(l => !l.StartsWith("```", StringComparison.Ordinal)).ToList();
            var table = lines.Where(l => l.StartsWith('|')).ToList();
            var name = Path.GetFileName(file)[..^"-report-github.md".Length];
            md.AppendLine(CultureInfo.InvariantCulture, $"#### {name[(name.LastIndexOf('.') + 1)..]}").AppendLine()
              .AppendLine(CultureInfo.InvariantCulture, $"Results of {File.GetLastWriteTimeUtc(file):yyyy-MM-dd HH:mm} UTC (`{Path.GetRelativePath(".", file)}`); {Describe(environment)}.").AppendLine();
            foreach (var row in table)
            {
                md.AppendLine(row);
            }

            md.AppendLine();
        }

        return md.ToString();
    }

    /// <summary>BenchmarkDotNet's environment block (version, OS, CPU, runtime, job and toolchain): how the figures were measured.</summary>
    private static string Describe(IReadOnlyList<string> environment)
    {
        var text = string.Join("; ", environment.Select(l => l.Trim().Replace('`', '\'')).Where(l => l.Length > 0));
        return text.Length == 0 ? "environment not recorded" : $"`{text}`";
    }
}
