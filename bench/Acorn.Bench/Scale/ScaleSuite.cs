using System.Diagnostics;
using System.Globalization;
using Acorn.Bench.Reporting;

namespace Acorn.Bench.Scale;

/// <summary>
/// Issue 18: at 100k and 1M contexts (more with <c>--sizes</c>), create rate, list pages, a full scan, reads, memory
/// per context and restart times through <c>ContextManager</c>, then an HTTP check of Acorn.Server on the same file.
/// Exits 1 when a correctness check fails (a context listed twice or missed, lost over a restart); never for speed.
/// </summary>
internal static class ScaleSuite
{
    public static async Task<int> RunAsync(string[] args)
    {
        var (options, error) = ScaleOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(error);
            return 2;
        }

        var serverDll = Path.Combine(Http.HttpSuite.RepositoryRoot(), "src", "Acorn.Server", "bin", "Release", "net10.0", "Acorn.Server.dll");
        if (options.Http && !File.Exists(serverDll))
        {
            Console.Error.WriteLine($"The HTTP check needs Acorn.Server's Release build ({serverDll}): dotnet build src/Acorn.Server -c Release, or run with --no-http.");
            return 2;
        }

        var machine = Machine.Describe();
        Console.WriteLine($"scale suite: {string.Join(", ", options.Sizes.Select(n => n.ToString("N0", CultureInfo.InvariantCulture)))} contexts; {machine}");
        var clock = Stopwatch.StartNew();
        var smallHot = await ScaleMeasurement.SmallHotReadAsync();
        var results = new List<ScaleResult>();
        HttpScaleResult? http = null;
        foreach (var size in options.Sizes)
        {
            var folder = Directory.CreateTempSubdirectory($"acorn-scale-{size}-").FullName;
            try
            {
                var workload = new ScaleWorkload(size);
                results.Add(await ScaleMeasurement.RunAsync(workload, folder, line => Console.WriteLine($"  {size:N0}: {line}")));
                if (options.Http && size == options.Sizes.Max())
                {
                    http = await HttpScaleCheck.RunAsync(workload, folder, serverDll, line => Console.WriteLine($"  {size:N0}: {line}"));
                }
            }
            finally
            {
                if (options.Keep)
                {
                    Console.WriteLine($"  kept {folder}");
                }
                else
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }

        clock.Stop();
        var targets = ScaleTargets.Evaluate(results, http, smallHot);
        var section = ScaleReport.Section(options, results, http, smallHot, targets, machine, Machine.LoadAverage(), clock.Elapsed);
        Console.WriteLine(section);
        foreach (var check in targets)
        {
            Console.WriteLine($"[target] {check.Outcome.Replace("**", "", StringComparison.Ordinal),-24} {check.Target}: {check.Measured}");
        }

        if (options.ReportPath is { } report)
        {
            await MarkdownSection.WriteAsync(report, ScaleReport.Marker, ScaleReport.Heading, section);
            Console.WriteLine($"Section \"{ScaleReport.Heading}\" written to {report}");
        }

        var failures = results.SelectMany(r => r.Failures.Select(f => $"{r.Contexts:N0}: {f}")).ToList();
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"correctness: {failure}");
        }

        return failures.Count == 0 ? 0 : 1;
    }
}
