using System.Globalization;
using System.Text;

namespace Acorn.Bench.Contention;

internal static partial class ContentionReport
{
    private static void WriteTargets(StringBuilder md, IReadOnlyList<TargetCheck> checks, string heading = "##")
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"{heading} Targets (issues 6 and 13)").AppendLine()
          .AppendLine("Ratios within this run, met or not; a target whose cells this run did not measure (a `--scenario` filter) says so.")
          .AppendLine("A `--quick` run measures every cell the targets need, but each briefly: its ratios are rough.").AppendLine()
          .AppendLine("| Issue | Target | Measured | Result |")
          .AppendLine("|---:|---|---|---|");
        foreach (var check in checks)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {check.Issue} | {check.Target} | {check.Measured} | {check.Outcome} |");
        }

        var missed = checks.Where(c => c.Met == false).ToList();
        if (missed.Count > 0)
        {
            md.AppendLine().AppendLine("Why the missed targets are missed:").AppendLine();
            foreach (var check in missed)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- *{check.Target}*: {check.WhyMissed}");
            }
        }

        md.AppendLine();
    }
}
