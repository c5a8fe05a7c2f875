using System.Text;
using Microsoft.Coyote;
using Microsoft.Coyote.SystematicTesting;

namespace Acorn.Coyote.Tests;

/// <summary>Runs a test body under Coyote's systematic testing engine and turns a found bug into an xunit failure.</summary>
/// <remarks>
/// Adding a test: write a <c>static async Task</c> body that builds its own objects (every iteration starts fresh),
/// starts concurrent work with <see cref="Task.Run(Func{Task})"/>, joins it with <c>Task.WhenAll(new[] { a, b })</c>
/// (the span overload is not controlled by Coyote 1.7) and checks invariants with <see cref="Microsoft.Coyote.Specifications.Specification.Assert(bool, string)"/>
/// or by throwing. Then add <c>[Fact] public void Name() =&gt; Systematic.Run(Body);</c>.
/// The assemblies must have been rewritten by <c>tests/coyote-rewrite.sh</c> after the build.
/// </remarks>
internal static class Systematic
{
    public const uint DefaultIterations = 1_000;

    // A soak run explores more schedules of every test: ACORN_COYOTE_SCALE=20 multiplies each test's iterations by 20.
    private static readonly uint Scale =
        uint.TryParse(Environment.GetEnvironmentVariable("ACORN_COYOTE_SCALE"), out var scale) && scale > 0 ? scale : 1;

    /// <summary>
    /// Explores <paramref name="iterations"/> schedules of <paramref name="test"/> (times <c>ACORN_COYOTE_SCALE</c> when
    /// set); fails with Coyote's report on the first bug.
    /// </summary>
    public static void Run(Func<Task> test, uint iterations = DefaultIterations)
    {
        var report = Explore(test, iterations);
        if (report.FoundBug)
        {
            Assert.Fail(report.Text);
        }

        Assert.Equal(iterations * Scale, report.Iterations);
    }

    /// <summary>Explores schedules and returns what was found, for tests that expect a bug.</summary>
    public static Outcome Explore(Func<Task> test, uint iterations = DefaultIterations)
    {
        var configuration = Configuration.Create()
            .WithTestingIterations(iterations * Scale)
            .WithPotentialDeadlocksReportedAsBugs(true)
            .WithSystematicFuzzingFallbackEnabled(false);
        using var engine = TestingEngine.Create(configuration, test);
        Assert.True(engine.IsTestRewritten(), "The test assembly is not rewritten for Coyote: run tests/coyote-rewrite.sh <Configuration> after building (./test.sh does).");
        engine.Run();

        var testReport = engine.TestReport;
        var text = new StringBuilder()
            .AppendLine(engine.GetReport())
            .AppendJoin(Environment.NewLine, testReport.BugReports)
            .AppendLine()
            .AppendLine(Tail(engine.ReadableTrace, 60))
            .ToString();
        return new Outcome(testReport.NumOfFoundBugs > 0, (uint)testReport.NumOfExploredFairPaths + (uint)testReport.NumOfExploredUnfairPaths, text);
    }

    private static string Tail(string? trace, int lines)
    {
        if (string.IsNullOrEmpty(trace))
        {
            return string.Empty;
        }

        var all = trace.Split('\n');
        return "Trace (last lines):" + Environment.NewLine + string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public sealed record Outcome(bool FoundBug, uint Iterations, string Text);
}
