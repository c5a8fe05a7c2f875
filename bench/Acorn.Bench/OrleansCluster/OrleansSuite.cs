using System.Diagnostics;
using System.Globalization;
using Acorn.Bench.Reporting;
using Acorn.Orleans;
using Acorn.Testing.Servers;
using Npgsql;

namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// Issue 7's benchmark: context updates through a 2-silo cluster with PostgreSQL storage, against a bare grain call
/// (no storage) and against the single-node SQLite path, in the same run at the same concurrency.
/// </summary>
internal static class OrleansSuite
{
    private const string Marker = "orleans-bench";

    public static async Task<int> RunAsync(string[] args, string run)
    {
        var options = OrleansBenchOptions.Parse(args);
        // Before anything starts: the load the machine had, not the load of our own servers starting.
        var machine = Machine.Describe();
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        PostgresServer postgres;
        try
        {
            postgres = await PostgresServer.StartAsync(durable: options.PostgresFsync);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"orleans: cannot start PostgreSQL: {ex.Message}");
            return 2;
        }

        await using (postgres)
        {
            var postgresVersion = await ServerVersionAsync(postgres.ConnectionString);
            Console.WriteLine($"PostgreSQL {postgresVersion} on port {postgres.Port}; starting {OrleansBenchOptions.Silos} silos");
            await using var cluster = await LoopbackCluster.StartAsync(OrleansBenchOptions.Silos, postgres.ConnectionString);
            await using var sqlite = new SqliteContextPath();
            await using var rows = new PostgresRows(postgres.ConnectionString);
            var clusterPath = new ClusterContextPath(new ContextGrainClient(cluster.Client));
            await using var grainRows = new PostgresGrainRows(postgres.ConnectionString, await StoredStateBytesAsync(clusterPath, postgres.ConnectionString));
            using var bench = new OrleansRun(
                options, cluster.Client, rows, grainRows, clusterPath, new ClusterContextPath(new ContextGrainClient(cluster.SecondClient)), sqlite);
            Console.WriteLine($"creating {2 * (options.DistinctContexts + 1):N0} contexts on each path");
            await bench.SeedAsync();
            var cells = await RunProgress.RunAsync(progress => RunCellsAsync(options, bench, progress));
            var ledgers = await bench.CheckAsync();
            clock.Stop();

            var setting = new OrleansReport.Setting(options, machine, started, clock.Elapsed, options.Command(run), postgresVersion, grainRows.PayloadBytes);
            var targets = OrleansTargets.Evaluate(cells);
            var section = OrleansReport.Section(setting, cells, ledgers, targets);
            Console.WriteLine(section);
            if (options.ReportPath is not null)
            {
                await MarkdownSection.WriteAsync(options.ReportPath, Marker, "Orleans cluster", section);
                Console.WriteLine($"wrote the section \"Orleans cluster\" of {options.ReportPath}");
            }

            foreach (var check in targets)
            {
                Console.WriteLine($"[target] {check.Outcome.Replace("**", "", StringComparison.Ordinal),-24} {check.Target}: {check.Measured}");
            }

            var errors = cells.Sum(c => c.Calls.Errors);
            var lost = ledgers.Sum(l => l.Lost);
            if (errors > 0 || lost > 0)
            {
                Console.Error.WriteLine($"orleans: {errors} calls failed, {lost} acknowledged updates missing from storage");
                return 1;
            }

            return 0;
        }
    }

    private static async Task<IReadOnlyList<OrleansCell>> RunCellsAsync(OrleansBenchOptions options, OrleansRun bench, IRunProgress progress)
    {
        var operations = Enum.GetValues<Operation>();
        progress.BeginStage("cells", options.Concurrency.Count * options.Spreads.Count * operations.Length);
        var cells = new List<OrleansCell>();
        foreach (var tasks in options.Concurrency)
        {
            foreach (var spread in options.Spreads)
            {
                foreach (var operation in operations)
                {
                    if (operation == Operation.ClusterIncrementTwoClients && tasks == 1)
                    {
                        // One task uses one client: the cell would repeat the one-client increment.
                        progress.Step($" 1 task: {operation.Label()} needs two tasks");
                        continue;
                    }

                    progress.Status($"{tasks} tasks, {spread}, {operation.Label()}");
                    var cell = await bench.MeasureAsync(operation, spread, tasks);
                    cells.Add(cell);
                    progress.Step(string.Create(CultureInfo.InvariantCulture,
                        $"{tasks,2} tasks {spread,-8} {operation.Label(),-38} {cell.Throughput,10:N0}/s  p50 {cell.LatencyMilliseconds(50),8:0.000} ms  p99 {cell.LatencyMilliseconds(99),8:0.000} ms  errors {cell.Calls.Errors}"));
                }
            }
        }

        return cells;
    }

    /// <summary>The bytes a context grain's storage write holds after a blind update: the payload the provider-statement floor writes.</summary>
    private static async Task<int> StoredStateBytesAsync(ClusterContextPath cluster, string connectionString)
    {
        const string Probe = "payload-probe";
        await cluster.CreateAsync(Probe, OrleansRun.BlindContent);
        await cluster.UpdateAsync(Probe, OrleansRun.BlindContent);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var size = new NpgsqlCommand("SELECT octet_length(payload) FROM acorn_grain_state WHERE grain_key = @k AND grain_type = 'context'", connection);
        size.Parameters.AddWithValue("k", Probe);
        return Convert.ToInt32(await size.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<string> ServerVersionAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection.PostgreSqlVersion.ToString();
    }
}
