using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Acorn.Bench.Reporting;

namespace Acorn.Bench.Http;

/// <summary>
/// The <c>http</c> suite's markdown: a table for the console and the section "HTTP server" of docs/performance.md,
/// whose generated part <see cref="MarkdownSection"/> keeps between two markers, so text written around it by hand survives a re-run.
/// </summary>
internal static class HttpReport
{
    public const string Heading = "HTTP server";
    public const string Marker = "http-bench";

    public static string Table(IReadOnlyList<TargetSummary> summaries)
    {
        var ceiling = summaries.First(s => !s.Target.OnAcorn).RequestsPerSecond;
        var ceilingCpu = summaries.First(s => !s.Target.OnAcorn).CpuPerRequest;
        var md = new StringBuilder();
        md.AppendLine("| Target | Requests/s (median) | Requests/s per round | p50 ms | p99 ms (median; worst round) | Server CPU µs/request | Non-2xx | Socket errors | Ratio to bare (req/s) | Ratio to bare (CPU/request) |")
          .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in summaries)
        {
            var perRound = string.Join(" / ", s.Rounds.Select(r => r.RequestsPerSecond.ToString("N0", CultureInfo.InvariantCulture)));
            var non2xx = s.Target.Diagnostic ? $"{s.Non2xx:N0} (expected)" : s.Non2xx.ToString("N0", CultureInfo.InvariantCulture);
            var ratio = s.Target.OnAcorn ? (s.RequestsPerSecond / ceiling).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "1.00x";
            var cpuRatio = s.Target.OnAcorn ? (ceilingCpu / s.CpuPerRequest).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "1.00x";
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Target.Label} | {s.RequestsPerSecond:N0} | {perRound} | {HttpSuite.Ms(s.P50)} | {HttpSuite.Ms(s.P99)}; {HttpSuite.Ms(s.WorstP99)} | {s.CpuPerRequest:N0} | {non2xx} | {s.SocketErrors:N0} | {ratio} | {cpuRatio} |");
        }

        return md.ToString();
    }

    /// <summary>Where an Acorn request's time went, from the server's own histograms (deltas over each measured run, medians over rounds).</summary>
    public static string Inside(IReadOnlyList<TargetSummary> summaries)
    {
        var md = new StringBuilder();
        md.AppendLine("| Target | HTTP latency mean ms (wrk) | ContextManager operation mean ms | Commits/s | Writes per commit (mean) | Commit mean ms (incl. fsync) |")
          .AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var s in summaries.Where(s => s.Target.OnAcorn && !s.Target.Diagnostic))
        {
            var operation = s.Target.Method switch { "GET" => "get", "PATCH" => "patch", _ => "update" };
            var seconds = s.MedianOf(r => r.DurationMicroseconds) / 1_000_000;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Target.Label} | {HttpSuite.Ms(s.MedianOf(r => r.Mean))} | {F(s.MedianOf(r => r.Metrics.MeanOperationMilliseconds(operation)))} | " +
                $"{F(s.MedianOf(r => r.Metrics.Commits) / seconds, "N0")} | {F(s.MedianOf(r => r.Metrics.MeanBatchSize), "0.0")} | {F(s.MedianOf(r => r.Metrics.MeanCommitMilliseconds))} |");
        }

        return md.ToString();
    }

    private static string F(double value, string format = "0.00") =>
        double.IsNaN(value) || value == 0 ? "-" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Section(
        IReadOnlyList<TargetSummary> summaries, IReadOnlyList<IWriteCheck> checks, HttpSettings settings, BenchEnvironment environment, string command)
    {
        var ceiling = summaries.First(s => !s.Target.OnAcorn).RequestsPerSecond;
        var get = (summaries.FirstOrDefault(s => s.Target.Key == "acorn-get")?.RequestsPerSecond ?? double.NaN) / ceiling;
        var put = (summaries.FirstOrDefault(s => s.Target.Key == "acorn-put")?.RequestsPerSecond ?? double.NaN) / ceiling;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"**Machine.** {Environment.ProcessorCount} cores (`nproc`), CPU model `{Machine.CpuModel()}` (/proc/cpuinfo), {RuntimeInformation.OSDescription}, " +
            $".NET SDK {environment.Sdk}, runtime {RuntimeInformation.FrameworkDescription}, {environment.Wrk}. " +
            $"Load average (1/5/15 min) {environment.LoadBefore} at the start, {environment.LoadAfter} at the end; the machine is shared with other builds.")
          .AppendLine()
          .AppendLine(CultureInfo.InvariantCulture, $"**Command** (from the repository root, {environment.Started:yyyy-MM-dd HH:mm} UTC, commit {environment.Commit}):")
          .AppendLine()
          .AppendLine("```bash")
          .AppendLine("dotnet build src/Acorn.Server -c Release && dotnet build bench/Acorn.Bench -c Release")
          .AppendLine(command)
          .AppendLine("```")
          .AppendLine()
          .AppendLine(CultureInfo.InvariantCulture,
            $"**Setup.** Both servers are child processes of the bench on free 127.0.0.1 ports, running at the same time: Acorn.Server from " +
            $"its Release build output (SQLite in a new temporary data folder, `Durability.Full`, the default; `ACORN_API_KEY` as the admin " +
            $"key; no plugins), and a bare minimal API (`WebApplication.CreateBuilder`, `app.MapGet(\"/ping\", () => \"pong\")`, server GC " +
            $"and ASP.NET Core log level Warning like Acorn.Server). {settings.Ids} contexts of about 100 bytes of data are created first, " +
            $"plus one shared context. wrk (`-t {settings.Threads} -c {settings.Connections} --timeout 30s`, a Lua script handing out pre-formatted " +
            $"requests round-robin, each connection from its own offset; the same script for every target, `Authorization` header included) " +
            $"loads one target at a time: {settings.Warmup.TotalSeconds:0} s warm-up (discarded), then {settings.Duration.TotalSeconds:0} s measured; " +
            $"{settings.Rounds} round(s), targets in the order of the table in each round. Figures are medians over the rounds; ratios " +
            $"are Acorn's median over the bare server's median. PUT bodies are `{{\"data\":{{...}}}}` of 70 bytes, unconditional (no If-Match). " +
            $"Server CPU per request is the server process's user + system CPU time during the measured run (/proc) over its responses: " +
            $"it moves less than requests/s with the machine's other load (on this shared machine still by up to 2x between runs); " +
            $"its ratio is the bare server's CPU per request over Acorn's.")
          .AppendLine()
          .Append(settings.ServerEnvironment.Count == 0 ? "" :
            "Extra environment of both servers: `" + string.Join(' ', settings.ServerEnvironment.Select(e => $"{e.Key}={e.Value}")) + "`.\n\n")
          .Append(Table(summaries))
          .AppendLine()
          .AppendLine("Inside Acorn.Server, from its own `/metrics` (`acorn.contexts.operation.duration`, `acorn.contexts.store.commit.duration`,")
          .AppendLine("`acorn.contexts.store.batch.size`; deltas over each measured run, medians over the rounds; reads are not timed by")
          .AppendLine("ContextManager, hence no operation time for GET):")
          .AppendLine()
          .Append(Inside(summaries))
          .AppendLine()
          .AppendLine(CultureInfo.InvariantCulture,
            $"**Targets: GET ≥ {HttpSuite.GetTarget:0.0}x of the ceiling — {Verdict(get, HttpSuite.GetTarget)}; " +
            $"PUT with `Durability.Full` ≥ {HttpSuite.PutTarget:0.0}x — {Verdict(put, HttpSuite.PutTarget)}.**")
          .AppendLine()
          .Append(PatchAgainstPut(summaries) is { } patchAgainstPut ? patchAgainstPut + "\n\n" : "")
          .AppendLine("Writes checked after the run (acknowledged = 2xx seen by wrk, warm-ups included; committed = the contexts' versions - 1):");
        foreach (var check in checks)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {check.Describe()}");
        }

        md.AppendLine()
          .AppendLine("Non-2xx counts responses with a status of 400 or more (wrk counts 1xx-3xx as success; none of the routes answers them).");
        return md.ToString();
    }

    /// <summary>The hot-context PATCH against the hot-context PUT of the same run, when both were measured.</summary>
    public static string? PatchAgainstPut(IReadOnlyList<TargetSummary> summaries)
    {
        var patch = summaries.FirstOrDefault(s => s.Target.Key == "acorn-patch-shared");
        var put = summaries.FirstOrDefault(s => s.Target.Key == "acorn-put-shared");
        return patch is null || put is null ? null : string.Create(CultureInfo.InvariantCulture,
            $"**PATCH on one shared context** ({patch.Rounds.Count} round(s); each connection merge-patches its own field, wrk with one " +
            $"thread per connection and a `response` callback to know what each connection had acknowledged): " +
            $"{patch.RequestsPerSecond:N0} req/s, {patch.RequestsPerSecond / put.RequestsPerSecond:0.00}x the unconditional PUT on one shared context ({put.RequestsPerSecond:N0} req/s).");
    }

    private static string Verdict(double ratio, double target) =>
        double.IsNaN(ratio) ? "not measured (--targets)"
        : string.Create(CultureInfo.InvariantCulture, $"{(ratio >= target ? "met" : "not met")} ({ratio:0.00}x)");
}
