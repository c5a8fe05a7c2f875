using System.Globalization;

namespace Acorn.Bench.Http;

/// <summary>The <c>http</c> suite's command line.</summary>
internal sealed record HttpSettings(
    bool Quick,
    TimeSpan Warmup,
    TimeSpan Duration,
    int Rounds,
    int Connections,
    int Threads,
    int Ids,
    bool Diagnostics,
    string? ReportPath,
    string? ServerDll,
    bool Keep,
    IReadOnlySet<string>? OnlyTargets,
    bool Profile,
    IReadOnlyDictionary<string, string> ServerEnvironment)
{
    public static HttpSettings Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        return new HttpSettings(
            quick,
            TimeSpan.FromSeconds(Number(args, "--warmup", quick ? 2 : 5)),
            TimeSpan.FromSeconds(Number(args, "--duration", quick ? 3 : 10)),
            Number(args, "--rounds", quick ? 1 : 3),
            Number(args, "--connections", 64),
            Number(args, "--threads", 2),
            Number(args, "--ids", 100),
            !args.Contains("--no-diagnostics"),
            args.Contains("--no-report") ? null : Option(args, "--report") ?? Path.Combine("docs", "performance.md"),
            Option(args, "--server-dll"),
            args.Contains("--keep") || args.Contains("--profile"),
            Option(args, "--targets") is { } only ? only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() : null,
            args.Contains("--profile"),
            ServerEnvironmentOf(args));
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Rounds} round(s) of {Warmup.TotalSeconds:0} s warm-up + {Duration.TotalSeconds:0} s per target, {Connections} connections, {Threads} wrk threads, {Ids} ids")
        + (ServerEnvironment.Count == 0 ? "" : "; server environment " + string.Join(' ', ServerEnvironment.Select(e => $"{e.Key}={e.Value}")));

    /// <summary><c>--server-env KEY=VALUE</c>, repeatable: extra environment for both servers (e.g. runtime knobs to compare).</summary>
    private static Dictionary<string, string> ServerEnvironmentOf(string[] args)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--server-env" && args[i + 1].Split('=', 2) is [var key, var value])
            {
                environment[key] = value;
            }
        }

        return environment;
    }

    private static int Number(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
