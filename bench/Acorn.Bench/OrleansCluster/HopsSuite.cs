using System.Diagnostics;
using System.Globalization;
using System.Text;
using Acorn.Bench.Reporting;
using Acorn.Contexts;
using Acorn.Orleans;
using Acorn.Orleans.Grains;
using Acorn.Testing.Servers;
using HdrHistogram;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// Where a cluster write's time and CPU go, hop by hop (issue 14): grain calls with and without the forwarding hop, a
/// grain's storage write through the ADO.NET provider, the provider's statement alone, a context update, a create (the
/// directory), an update with the change stream, and the storage serializers. Prints a markdown table:
/// <c>orleans-hops [--duration S]</c>.
/// </summary>
internal static class HopsSuite
{
    private const int ContextsPerTask = 16;
    private static readonly int[] Concurrency = [1, 64];
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var at = Array.IndexOf(args, "--duration");
        var duration = TimeSpan.FromSeconds(at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], C) : 5);
        var machine = Machine.Describe();
        await using var postgres = await PostgresServer.StartAsync(durable: true);
        var rows = new List<HopRow>();
        int payloadBytes;
        (string Name, double Microseconds, int Bytes)[] serializers;
        await using (var plain = await LoopbackCluster.StartAsync(OrleansBenchOptions.Silos, postgres.ConnectionString))
        {
            var contexts = new ContextGrainClient(plain.Client);
            await SeedAsync(contexts, "u");
            payloadBytes = await StoredStateBytesAsync(postgres.ConnectionString, "u-0");
            serializers = Serializers(plain.SiloServices);
            await using var grainRows = new PostgresGrainRows(postgres.ConnectionString, payloadBytes);
            await grainRows.CreateAsync(Ids("g"));
            var creates = 0L;
            rows.Add(await MeasureAsync("bare grain call (placed on the client's gateway silo)", duration,
                (t, i) => plain.Client.GetGrain<IBareCounterGrain>(Id("b", t, i)).IncrementAsync()));
            rows.Add(await MeasureAsync("bare grain call, placed at random (half of them forwarded to the other silo)", duration,
                (t, i) => plain.Client.GetGrain<IForwardedCounterGrain>(Id("f", t, i)).IncrementAsync()));
            rows.Add(await MeasureAsync($"PostgreSQL alone: the provider's write statement ({payloadBytes} bytes)", duration,
                (t, i) => grainRows.UpdateAsync(Id("g", t, i))));
            rows.Add(await MeasureAsync($"a grain's storage write through the provider ({payloadBytes} bytes)", duration,
                (t, i) => plain.Client.GetGrain<IStorageProbeGrain>(Id("p", t, i)).WriteAsync(payloadBytes)));
            rows.Add(await MeasureAsync("context blind update", duration,
                (t, i) => contexts.UpdateAsync(Id("u", t, i), OrleansRun.BlindContent)));
            rows.Add(await MeasureAsync("context create (directory entry and state)", duration,
                (t, _) => contexts.CreateAsync($"c-{t}-{Interlocked.Increment(ref creates)}", OrleansRun.BlindContent)));
        }

        await using (var streamed = await LoopbackCluster.StartAsync(OrleansBenchOptions.Silos, postgres.ConnectionString, changeStream: true))
        {
            var contexts = new ContextGrainClient(streamed.Client);
            await SeedAsync(contexts, "s");
            rows.Add(await MeasureAsync("context blind update, change stream on (as Acorn's silo host)", duration,
                (t, i) => contexts.UpdateAsync(Id("s", t, i), OrleansRun.BlindContent)));
        }

        Console.WriteLine(Table(machine, duration, rows, serializers));
        return 0;
    }

    /// <summary>One operation at 1 and 64 tasks.</summary>
    private sealed record HopRow(string Operation, TimedCell.Calls One, TimedCell.Calls Many);

    private static async Task<HopRow> MeasureAsync(string operation, TimeSpan duration, Func<int, long, Task> call)
    {
        var measured = new List<TimedCell.Calls>();
        foreach (var tasks in Concurrency)
        {
            await TimedCell.RunAsync(tasks, TimeSpan.FromSeconds(1), call);
            GC.Collect();
            measured.Add(await TimedCell.RunAsync(tasks, duration, call));
        }

        Console.WriteLine(string.Create(C, $"{operation}: mean {Mean(measured[0]):0.000} ms at 1 task, {Rate(measured[1]):N0}/s at 64"));
        return new HopRow(operation, measured[0], measured[1]);
    }

    private static string Table(string machine, TimeSpan duration, IReadOnlyList<HopRow> rows, (string Name, double Microseconds, int Bytes)[] serializers)
    {
        var text = new StringBuilder()
            .AppendLine(C, $"- Machine: {machine}. Command: `dotnet run -c Release --project bench/Acorn.Bench -- orleans-hops --duration {duration.TotalSeconds:0.#}`.")
            .AppendLine("- 2 silos and the client in one process on loopback TCP, PostgreSQL with fsync on; distinct grains (16 per task), each cell after a 1 s warm-up.")
            .AppendLine("- CPU per call: the bench process's (client and silos) and the whole machine's CPU time over the 64-task cell, divided by the calls.")
            .AppendLine()
            .AppendLine("| Operation | 1 task: mean ms | 1 task: p99 ms | 64 tasks: calls/s | 64 tasks: CPU µs/call, bench process | machine |")
            .AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            text.AppendLine(C,
                $"| {row.Operation} | {Mean(row.One):0.000} | {Percentile(row.One, 99):0.000} | {Rate(row.Many):N0} | {Cpu(row.Many, process: true):0} | {Cpu(row.Many, process: false):0} |");
        }

        text.AppendLine().AppendLine("| Storage serializer, one context state | µs per serialization | bytes |").AppendLine("|---|---:|---:|");
        foreach (var (name, microseconds, bytes) in serializers)
        {
            text.AppendLine(C, $"| {name} | {microseconds:0.0} | {bytes} |");
        }

        return text.ToString();
    }

    /// <summary>Times the silo's default storage serializer (Newtonsoft JSON) and Acorn's (Orleans binary) on a blind update's state.</summary>
    private static (string, double, int)[] Serializers(IServiceProvider silo)
    {
        var state = new ContextGrainState
        {
            Current = new ContextRecord
            {
                Id = "u-0", Version = 42, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
                DataJson = OrleansRun.BlindContent.Data.GetRawText(),
            },
            Changes = 42,
            Incarnation = 1,
            LastVersion = 42,
        };
        return
        [
            Time("Orleans' default (Newtonsoft JSON with type names)", silo.GetRequiredService<IGrainStorageSerializer>(), state),
            Time("Acorn's (Orleans binary)", silo.GetRequiredKeyedService<IGrainStorageSerializer>(AcornOrleans.StorageName), state),
        ];
    }

    private static (string, double, int) Time(string name, IGrainStorageSerializer serializer, ContextGrainState state)
    {
        const int Rounds = 20_000;
        var bytes = serializer.Serialize(state).ToArray().Length;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            _ = serializer.Serialize(state);
        }

        return (name, clock.Elapsed.TotalMicroseconds / Rounds, bytes);
    }

    private static async Task SeedAsync(ContextGrainClient contexts, string prefix) =>
        await Parallel.ForEachAsync(Ids(prefix), new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (id, ct) => await contexts.CreateAsync(id, OrleansRun.BlindContent, ct));

    private static async Task<int> StoredStateBytesAsync(string connectionString, string id)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var size = new Npgsql.NpgsqlCommand("SELECT octet_length(payload) FROM acorn_grain_state WHERE grain_key = @k AND grain_type = 'context'", connection);
        size.Parameters.AddWithValue("k", id);
        return Convert.ToInt32(await size.ExecuteScalarAsync(), C);
    }

    private static IEnumerable<string> Ids(string prefix) =>
        Enumerable.Range(0, Concurrency[^1] * ContextsPerTask).Select(k => $"{prefix}-{k}");

    /// <summary>Task <c>t</c>'s <c>i</c>-th grain: its own slice, every 64th from t.</summary>
    private static string Id(string prefix, int task, long i) => $"{prefix}-{task + (i % ContextsPerTask * Concurrency[^1])}";

    private static double Mean(TimedCell.Calls calls) => calls.Latency.GetMean() * 1_000.0 / Stopwatch.Frequency;

    private static double Percentile(TimedCell.Calls calls, double percentile) =>
        calls.Latency.GetValueAtPercentile(percentile) * 1_000.0 / Stopwatch.Frequency;

    private static double Rate(TimedCell.Calls calls) => calls.Succeeded / calls.Elapsed.TotalSeconds;

    private static double Cpu(TimedCell.Calls calls, bool process) =>
        (process ? calls.ProcessBusy : calls.MachineBusy) * Environment.ProcessorCount * 1_000_000 / Rate(calls);
}
