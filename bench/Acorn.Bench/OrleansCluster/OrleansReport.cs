using System.Globalization;
using System.Text;
using Acorn.Bench.Contention;

namespace Acorn.Bench.OrleansCluster;

/// <summary>The generated section "Orleans cluster" of docs/performance.md.</summary>
internal static class OrleansReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>How the run was made, for the report's header.</summary>
    public sealed record Setting(
        OrleansBenchOptions Options, string Machine, DateTime Started, TimeSpan Took, string Command, string PostgresVersion, int StoredStateBytes);

    public static string Section(Setting setting, IReadOnlyList<OrleansCell> cells, IReadOnlyList<OrleansRun.Ledger> ledgers, IReadOnlyList<TargetCheck> targets)
    {
        var options = setting.Options;
        var text = new StringBuilder()
            .AppendLine(C, $"- Machine: {setting.Machine}.")
            .AppendLine(C, $"- Date: {setting.Started:yyyy-MM-dd HH:mm} UTC; the run took {setting.Took.TotalMinutes:0.0} min.")
            .AppendLine(C, $"- Command (from the repository root): `{setting.Command}`")
            .AppendLine(C, $"- Cluster: {OrleansBenchOptions.Silos} silo hosts and the client host in the bench process, on 127.0.0.1 TCP ports (development clustering); Acorn's context grains with Orleans' ADO.NET grain storage in a PostgreSQL {setting.PostgresVersion} the bench starts ({PostgresDurability(options)}). Workstation GC, the bench's default.")
            .AppendLine("- Single node: `ContextManager` over `SqliteContextStore` with `Durability.Full` (the default: every commit fsynced) in the same process, while the cluster idles.")
            .AppendLine(C, $"- Workload: each cell runs its operation from {string.Join(", ", options.Concurrency)} tasks for {options.Duration.TotalSeconds:0.#} s after an untimed {options.Warmup.TotalSeconds:0.#} s warm-up, every call timed (HdrHistogram). Distinct: {options.DistinctContexts:N0} contexts per operation, each task its own slice. Hot: every task the same context. Cells run in the order of the tables, concurrency by concurrency, so drift in the machine's load falls on every operation alike.")
            .AppendLine("- Ratios: rate = updates/s over the reference's at the same tasks and spread; p99 = the p99 over the reference's (above 1 is slower). The bare grain call is a trivial grain (an in-memory counter, no storage) through the same client and silos; the SQLite reference is the same kind of update (blind or increment). Ratios are given for the cluster's rows only.")
            .AppendLine(C, $"- PostgreSQL alone, no Orleans, through Npgsql (pooled, autocommit) in the same server: one `UPDATE` of a 200-byte row per call; and the ADO.NET grain storage provider's own write statement (`WriteToStorageKey` from the `OrleansQuery` table, its parameters, the {setting.StoredStateBytes}-byte payload a context grain stores after a blind update, each row's writes one at a time as a grain's are): the storage round trip a cluster write cannot go below.")
            .AppendLine("- Cluster writes: blind updates (`UpdateAsync(id, content)`), merge patches applied in the grain (`PatchAsync`, each task its own field), and read-modify-write increments (`UpdateAsync(id, func)`: the client's local turn, runs of compare-and-set in the grain) from one cluster client, or from two (each its own connection and local turns, as two processes; tasks alternate between them). Versions/write: context versions per storage write of the grains during the cell (the silos' `acorn.orleans.context.write.versions` histogram).")
            .AppendLine("- CPU: the whole machine's busy share of its cores over the cell (/proc/stat) / the bench process's (client and silos); the difference is PostgreSQL and anything else running.")
            .AppendLine();
        foreach (var spread in Enum.GetValues<Spread>())
        {
            text.AppendLine(spread == Spread.Distinct
                    ? string.Create(C, $"### Distinct contexts ({options.DistinctContexts:N0} per operation)")
                    : "### One hot context")
                .AppendLine()
                .AppendLine("| Tasks | Operation | Updates/s | p50 ms | p99 ms | Attempts/update | Versions/write | Errors | CPU % machine / bench | Rate vs bare | p99 vs bare | Rate vs SQLite | p99 vs SQLite |")
                .AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var cell in cells.Where(c => c.Spread == spread))
            {
                var bare = Find(cells, Operation.BareCall, cell);
                var local = cell.Operation.IsCluster() ? Find(cells, cell.Operation.SqliteCounterpart(), cell) : null;
                text.AppendLine(C,
                    $"| {cell.Tasks} | {cell.Operation.Label()} | {cell.Throughput:N0} | {cell.LatencyMilliseconds(50):0.000} | {cell.LatencyMilliseconds(99):0.000} | {(cell.AttemptsPerUpdate is { } a ? a.ToString("0.00", C) : "-")} | {(cell.VersionsPerWrite is { } v ? v.ToString("0.0", C) : "-")} | {cell.Calls.Errors} | {cell.Calls.MachineBusy * 100:0} / {cell.Calls.ProcessBusy * 100:0} | {Ratios(cell, cell.Operation.IsCluster() ? bare : null)} | {Ratios(cell, local)} |");
            }

            text.AppendLine();
        }

        text.AppendLine("Targets (issue 14), ratios within this run:").AppendLine()
            .AppendLine("| Target | Measured | Result |")
            .AppendLine("|---|---|---|");
        foreach (var check in targets)
        {
            text.AppendLine(C, $"| {check.Target} | {check.Measured} | {check.Outcome} |");
        }

        text.AppendLine();
        foreach (var missed in targets.Where(t => t.Met == false))
        {
            text.AppendLine(C, $"- Missed, *{missed.Target}*: {missed.WhyMissed}.");
        }

        text.AppendLine().AppendLine("Updates checked after the run (acknowledged = calls that returned, warm-ups included; stored = the versions a blind update adds, the counter an increment adds, read back from every context):");
        foreach (var ledger in ledgers)
        {
            text.AppendLine(C, $"- {ledger.Operation.Label()}: {ledger.Acknowledged:N0} acknowledged, {ledger.Stored:N0} stored{(ledger.Lost > 0 ? string.Create(C, $", **{ledger.Lost:N0} lost**") : ", none lost")}");
        }

        return text.ToString();
    }

    private static string PostgresDurability(OrleansBenchOptions options) => options.PostgresFsync
        ? "Debian's binaries, `fsync` on and `synchronous_commit` on, its defaults: every commit is flushed to disk before it is acknowledged, as SQLite's `Durability.Full` does"
        : "Debian's binaries, `fsync=off` (`--postgres-no-fsync`): commits reach the kernel, not the disk";

    private static OrleansCell? Find(IReadOnlyList<OrleansCell> cells, Operation operation, OrleansCell like) =>
        cells.FirstOrDefault(c => c.Operation == operation && c.Spread == like.Spread && c.Tasks == like.Tasks);

    private static string Ratios(OrleansCell cell, OrleansCell? reference) => reference is null || reference.Throughput == 0
        ? "- | -"
        : string.Create(C, $"{cell.Throughput / reference.Throughput:0.000}x | {cell.LatencyMilliseconds(99) / reference.LatencyMilliseconds(99):0.0}x");
}
