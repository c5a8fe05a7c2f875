using System.Globalization;

namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// The command line of the orleans suite:
/// <c>[--quick] [--duration S] [--tasks N] [--spread distinct|hot] [--postgres-no-fsync] [--report FILE | --no-report]</c>.
/// The report goes to docs/performance.md unless <c>--quick</c>, <c>--tasks</c> or <c>--spread</c> (a partial run),
/// which print it only.
/// </summary>
/// <param name="PostgresFsync">PostgreSQL flushes every commit to disk (its default), as SQLite's <c>Durability.Full</c> does.</param>
/// <param name="Concurrency">The task counts the cells run at.</param>
/// <param name="Spreads">The spreads the cells run with.</param>
internal sealed record OrleansBenchOptions(
    bool Quick, TimeSpan Duration, bool PostgresFsync, string? ReportPath, string Arguments, IReadOnlyList<int> Concurrency, IReadOnlyList<Spread> Spreads)
{
    public const int Silos = 2;

    private static readonly int[] AllConcurrency = [1, 16, 64];

    /// <summary>Untimed calls before each cell: activations, connection pools and the JIT settle there.</summary>
    public TimeSpan Warmup => Quick ? TimeSpan.FromSeconds(0.1) : TimeSpan.FromSeconds(1);

    /// <summary>Contexts per operation for the distinct spread: a multiple of every concurrency, so the tasks' slices never overlap.</summary>
    public int DistinctContexts => Quick ? 64 : 1024;

    public static OrleansBenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var at = Array.IndexOf(args, "--duration");
        var seconds = at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : quick ? 0.25 : 5;
        var tasks = Array.IndexOf(args, "--tasks");
        int[] concurrency = tasks >= 0 && tasks + 1 < args.Length ? [int.Parse(args[tasks + 1], CultureInfo.InvariantCulture)] : AllConcurrency;
        var spread = Array.IndexOf(args, "--spread");
        Spread[] spreads = spread >= 0 && spread + 1 < args.Length ? [Enum.Parse<Spread>(args[spread + 1], ignoreCase: true)] : Enum.GetValues<Spread>();
        var partial = quick || tasks >= 0 || spread >= 0;
        var report = Array.IndexOf(args, "--report");
        // A smoke or partial run must not replace the committed figures: it writes a report only where --report says.
        var path = args.Contains("--no-report") ? null
            : report >= 0 && report + 1 < args.Length ? args[report + 1]
            : partial ? null
            : Path.Combine("docs", "performance.md");
        return new OrleansBenchOptions(
            quick, TimeSpan.FromSeconds(seconds), !args.Contains("--postgres-no-fsync"), path, string.Join(' ', args), concurrency, spreads);
    }

    /// <summary>The command as the report states it.</summary>
    public string Command(string run) => $"{run} orleans {Arguments}".TrimEnd();
}
