using System.Diagnostics;
using Acorn.Contexts.Sqlite;
using System.Globalization;
using HdrHistogram;
using Microsoft.Data.Sqlite;

namespace Acorn.Bench.Contention;

/// <summary>
/// The SQLite write ceiling: one writer, no queue, no version check, upserting rows of the store's <c>contexts</c> table
/// in transactions of <see cref="BatchSize"/> rows, with the pragmas <c>SqliteContextStore</c> sets (WAL, the durability's
/// <c>synchronous</c>, busy timeout). Create inserts distinct ids; SharedUpdate upserts one id again and again.
/// A row's latency is its batch's (it is acknowledged at the commit).
/// </summary>
internal static class SqliteWriteCeiling
{
    public const int BatchSize = 256;

    private const string Upsert = """
        INSERT INTO contexts (id, version, created_at, updated_at, expires_at, data, metadata)
        VALUES ($id, $version, $created_at, $updated_at, NULL, $data, '{}')
        ON CONFLICT (id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at, data = excluded.data;
        """;

    public static bool Applies(StoreKind store, Scenario scenario) =>
        store is StoreKind.SqliteFull or StoreKind.SqliteNormal && scenario is Scenario.Create or Scenario.SharedUpdate;

    public static async Task<CellResult> MeasureAsync(StoreKind store, Scenario scenario, int rows)
    {
        var folder = Directory.CreateTempSubdirectory("acorn-bench-ceiling-").FullName;
        try
        {
            var path = Path.Combine(folder, "ceiling.db");

            // The store itself creates the schema (its migrations), so the ceiling writes to exactly the table Acorn does.
            await new SqliteContextStore(new SqliteContextStoreOptions { Path = path }).DisposeAsync();

            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
                DefaultTimeout = 5,
            };
            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            Execute(connection, $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {(store == StoreKind.SqliteFull ? "FULL" : "NORMAL")}; PRAGMA busy_timeout = 5000;");

            using var upsert = connection.CreateCommand();
            upsert.CommandText = Upsert;
            var id = upsert.Parameters.Add("$id", SqliteType.Text);
            var version = upsert.Parameters.Add("$version", SqliteType.Integer);
            var created = upsert.Parameters.Add("$created_at", SqliteType.Integer);
            var updated = upsert.Parameters.Add("$updated_at", SqliteType.Integer);
            var data = upsert.Parameters.Add("$data", SqliteType.Text);
            upsert.Prepare();

            var latency = new LongHistogram(Stopwatch.Frequency * 60, 3);
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
            var clock = Stopwatch.StartNew();
            for (var done = 0; done < rows;)
            {
                var batch = Math.Min(BatchSize, rows - done);
                var started = Stopwatch.GetTimestamp();
                using (var transaction = connection.BeginTransaction())
                {
                    upsert.Transaction = transaction;
                    for (var i = done; i < done + batch; i++)
                    {
                        var now = DateTime.UtcNow.Ticks;
                        id.Value = scenario == Scenario.Create ? string.Create(CultureInfo.InvariantCulture, $"new-{i}") : "shared";
                        version.Value = scenario == Scenario.Create ? 1L : i + 1L;
                        created.Value = now;
                        updated.Value = now;
                        data.Value = string.Create(CultureInfo.InvariantCulture, $$"""{"n":{{i}}}""");
                        upsert.ExecuteNonQuery();
                    }

                    transaction.Commit();
                }

                latency.RecordValueWithCount(Stopwatch.GetTimestamp() - started, batch);
                done += batch;
            }

            clock.Stop();
            process.Refresh();
            return new CellResult(store, scenario, Ceilings.SqliteBatched, 1, rows, 0, 0, clock.Elapsed,
                process.TotalProcessorTime - cpuBefore, GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore, ThreadPool.ThreadCount, latency);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
