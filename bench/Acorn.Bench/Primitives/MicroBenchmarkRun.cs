using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Acorn.Bench.Reporting;

namespace Acorn.Bench.Primitives;

/// <summary>
/// Runs the <c>primitives</c> suite (every BenchmarkDotNet class, the ContextManager read included) as a child process for the
/// performance run: in-process toolchain (the default one builds a project per benchmark, minutes each here) and BenchmarkDotNet's
/// short job, so that the micro-benchmarks fit in the full run's budget. Its results land in <see cref="ArtifactsFolder"/>.
/// </summary>
internal static partial class MicroBenchmarkRun
{
    /// <summary>BenchmarkDotNet's default artifacts folder, relative to the working directory: a hand run of the suite writes there too.</summary>
    public const string ArtifactsFolder = "BenchmarkDotNet.Artifacts";

    /// <summary>The arguments the child gets after the suite name; the report quotes them.</summary>
    public static readonly string[] Arguments = ["--inProcess", "--job", "short", "--filter", "*", "--artifacts", ArtifactsFolder];

    /// <summary>Runs the suite; returns null, or why it failed (the report then says so instead of showing old results as new).</summary>
    public static async Task<string?> RunAsync(IRunProgress progress)
    {
        var start = SelfProcess.StartInfo(["primitives", .. Arguments]);
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var stderr = child.StandardError.ReadToEndAsync();
        string? current = null;
        var tail = new Queue<string>();
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            tail.Enqueue(line);
            if (tail.Count > 20)
            {
                tail.Dequeue();
            }

            // BenchmarkDotNet announces the total once (and a count per class), then each benchmark as it starts: a step ends
            // when the next begins.
            if (FoundPattern().Match(line) is { Success: true } found)
            {
                progress.BeginStage("micro-benchmarks", int.Parse(found.Groups[1].Value, CultureInfo.InvariantCulture));
            }
            else if (line.StartsWith("// Benchmark: ", StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    progress.Step($"{current} done");
                }

                // "Class.Method: Job(...)": the job is the same for all of them.
                current = line["// Benchmark: ".Length..].Split(": ", 2)[0];
                progress.Status(current);
            }
        }

        await child.WaitForExitAsync();
        var errors = await stderr;
        if (current is not null)
        {
            progress.Step($"{current} done");
        }

        return child.ExitCode == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"exit code {child.ExitCode}: {errors.Trim()} {string.Join(" / ", tail)}");
    }

    [GeneratedRegex(@"Found (\d+) benchmark\(s\) in total")]
    private static partial Regex FoundPattern();
}
