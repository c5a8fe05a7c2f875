using Acorn.Bench.Contention;
using Acorn.Bench.Http;
using Acorn.Bench.OrleansCluster;
using Acorn.Bench.Plugins;
using Acorn.Bench.Primitives;
using Acorn.Bench.Scale;
using BenchmarkDotNet.Running;

// One executable, one entry point per suite: `dotnet run -c Release --project bench/Acorn.Bench -- <suite> [args]`;
// with no suite (only options, or nothing), the performance run of issue 6: micro-benchmarks, contention matrix, report.
const string Run = "dotnet run -c Release --project bench/Acorn.Bench --";
return args switch
{
    [] => await ContentionSuite.RunAsync(args, Run),
    [var first, ..] when first.StartsWith("--", StringComparison.Ordinal) && first != "--help" => await ContentionSuite.RunAsync(args, Run),
    ["primitives", .. var rest] => RunPrimitives(rest),
    ["contention", .. var rest] => await ContentionSuite.RunAsync(rest, Run + " contention"),
    [Starvation.CellCommand, .. var rest] => await Starvation.RunCellAsync(rest),
    ["http", .. var rest] => await HttpSuite.RunAsync(rest),
    ["http-bare", .. var rest] => await BareServer.RunAsync(rest),
    ["plugins", .. var rest] => await PluginLoadSuite.RunAsync(rest),
    ["orleans", .. var rest] => await OrleansSuite.RunAsync(rest, Run),
    ["orleans-hops", .. var rest] => await HopsSuite.RunAsync(rest),
    ["scale", .. var rest] => await ScaleSuite.RunAsync(rest),
    _ => Usage(),
};

static int RunPrimitives(string[] args)
{
    BenchmarkSwitcher.FromTypes(PrimitiveSuite.Types).Run(args);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project bench/Acorn.Bench -- [--quick] [--scenario X] [--out DIR] [--no-micro]
               dotnet run -c Release --project bench/Acorn.Bench -- <suite> [arguments]

        with no suite, the performance run (issue 6), the same as the contention suite:
          the BenchmarkDotNet micro-benchmarks (full runs only: not with --quick, --scenario or --no-micro; in-process,
          short job), then the original's two designs against ContextManager over in-memory, SQLite and simulated remote
          stores at 1-64 tasks, then thread-pool starvation; writes DIR/contention.md, its charts DIR/performance/*.svg and
          the section "Context system under contention" of DIR/performance.md (DIR defaults to docs/).
          --quick      every scenario briefly (under a minute); exits 1 if the report was not written or Acorn lost an
                       update, never because of speed
          --scenario   Create|SharedUpdate|Reads|Mixed|Starvation: that scenario only

        suites:
          primitives   async lock micro-benchmarks (Acorn.Threading against SemaphoreSlim, DotNext and Nito.AsyncEx),
                       ContextManager.GetAsync against raw dictionaries, ContextManager.UpdateAsync against the
                       original's async increment and CreateAsync among 64,000 and 256,000 contexts against its create;
                       BenchmarkDotNet arguments,
                       e.g. primitives --inProcess --filter *
          contention   the performance run above: contention [--quick] [--scenario X] [--out DIR] [--no-micro]
          http         Acorn.Server (SQLite, Durability.Full) against a bare minimal API, both child processes, loaded by
                       wrk (apt-get install -y wrk) at 64 connections; needs `dotnet build src/Acorn.Server -c Release`:
                       http [--quick] [--duration S] [--warmup S] [--rounds N] [--connections N] [--threads N] [--ids N]
                            [--no-diagnostics] [--report FILE | --no-report] [--server-dll PATH] [--keep]
                            [--targets acorn-get,acorn-put,acorn-put-shared,acorn-patch-shared,acorn-404] [--server-env KEY=VALUE]...
                            [--profile (perf record of each measured run, kept in the work folder)]
                       (writes the section "HTTP server" of docs/performance.md; exits 1 if an acknowledged write is missing)
          plugins      load-all of 500 real plugin assemblies in a DAG of depth 10, each initialize awaiting 10 ms, against
                       the critical-path bound: plugins [--quick] [--report FILE | --no-report]
                       (writes the section "Plugin load-all" of docs/performance.md)
          orleans      context updates through a 2-silo Orleans cluster (in this process, loopback TCP) with PostgreSQL
                       grain storage (Debian's postgresql, started by the bench) against a bare grain call and against
                       ContextManager over SQLite, at 1, 16 and 64 tasks, distinct contexts and one hot context:
                       orleans [--quick] [--duration S] [--tasks N] [--spread distinct|hot] [--postgres-no-fsync] [--report FILE | --no-report]
                       (writes the section "Orleans cluster" of docs/performance.md; exits 2 without PostgreSQL, 1 if a
                       call failed or an acknowledged update is missing from storage)
          orleans-hops where a cluster write's time and CPU go, hop by hop (grain calls, the forwarding hop, the storage
                       provider, the statement alone, the context grain, the directory, the change stream, serializers):
                       orleans-hops [--duration S]   (prints a markdown table, quoted in docs/orleans.md)
          scale        a million contexts on one node (issue 18): at each size, creates through ContextManager over
                       SQLite Full (64 tasks), list pages (first, middle, last, a prefix), a full scan, hot and cold
                       reads, memory per context, restart until the first read and until loaded; then Acorn.Server on
                       the same file over HTTP (needs `dotnet build src/Acorn.Server -c Release`):
                       scale [--quick] [--sizes 100000,1000000] [--http | --no-http] [--report FILE | --no-report] [--keep]
                       --quick: 100k only, no HTTP, no report unless --report (a smoke run, under a minute); exits 1
                       if a context is listed twice, missed or lost over the restart, never because of speed
                       (writes the section "A million contexts on one node" of docs/performance.md)
        """);
    return 2;
}
