using System.Globalization;

namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// The command line of the orleans suite: <c>[--quick] [--duration S] [--postgres-no-fsync] [--report FILE | --no-report]</c>.
/// The report goes to docs/performance.md unless <c>--quick</c>, which prints it only.
/// </summary>
/// <param name="PostgresFsync">PostgreSQL flushes every commit to disk (its default), as SQLite's <c>Durability.Full</c> does.</param>
internal sealed record OrleansBenchOptions(bool Quick, TimeSpan Duration, bool PostgresFsync, string? ReportPath, string Arguments)
{
    public const int Silos = 2;

    public static readonly int[] Concurrency = [1, 16, 64];

    /// <summary>Untimed calls before each cell: activations, connection pools and the JIT settle there.</summary>
    public TimeSpan Warmup => Quick ? TimeSpan.FromSeconds(0.1) : TimeSpan.FromSeconds(1);

    /// <summary>Contexts per operation for the distinct spread: a multiple of every concurrency, so the tasks' slices never overlap.</summary>
    public int DistinctContexts => Quick ? 64 : 1024;

    public static OrleansBenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var at = Array.IndexOf(args, "--duration");
        var seconds = at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : quick ? 0.25 : 5;
        var report = Array.IndexOf(args, "--report");
        // A smoke run must not replace the committed figures: --quick writes a report only where --report says.
        var path = args.Contains("--no-report") ? null
            : report >= 0 && report + 1 < args.Length ? args[report + 1]
            : quick ? null
            : Path.Combine("docs", "performance.md");
        return new OrleansBenchOptions(quick, TimeSpan.FromSeconds(seconds), !args.Contains("--postgres-no-fsync"), path, string.Join(' ', args));
    }

    /// <summary>The command as the report states it.</summary>
    public string Command(string run) => $"{run} orleans {Arguments}".TrimEnd();
}
