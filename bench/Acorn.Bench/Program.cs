using Acorn.Bench.Contention;
using Acorn.Bench.Http;
using Acorn.Bench.Plugins;
using Acorn.Bench.Primitives;
using BenchmarkDotNet.Running;

// One executable, one entry point per suite: `dotnet run -c Release --project bench/Acorn.Bench -- <suite> [args]`.
return args switch
{
    ["primitives", .. var rest] => RunPrimitives(rest),
    ["contention", .. var rest] => await ContentionSuite.RunAsync(rest),
    [Starvation.CellCommand, .. var rest] => await Starvation.RunCellAsync(rest),
    ["http", .. var rest] => await HttpSuite.RunAsync(rest),
    ["http-bare", .. var rest] => await BareServer.RunAsync(rest),
    ["plugins", .. var rest] => await PluginLoadSuite.RunAsync(rest),
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
        usage: dotnet run -c Release --project bench/Acorn.Bench -- <suite> [BenchmarkDotNet arguments]

        suites:
          primitives   async lock micro-benchmarks: Acorn.Threading against SemaphoreSlim, DotNext and Nito.AsyncEx
                       e.g. primitives --inProcess --filter *
          contention   the original's two designs against ContextManager over in-memory, SQLite and simulated remote
                       stores: contention [--quick] [--scenario Create|SharedUpdate|Reads|Mixed|Starvation] [--out DIR]
                       (writes DIR/contention.md, default docs/; exits 1 if Acorn lost an update)
          http         Acorn.Server (SQLite, Durability.Full) against a bare minimal API, both child processes, loaded by
                       wrk (apt-get install -y wrk) at 64 connections; needs `dotnet build src/Acorn.Server -c Release`:
                       http [--quick] [--duration S] [--warmup S] [--rounds N] [--connections N] [--threads N] [--ids N]
                            [--no-diagnostics] [--report FILE | --no-report] [--server-dll PATH] [--keep]
                            [--targets acorn-get,acorn-put,acorn-put-shared,acorn-404] [--server-env KEY=VALUE]...
                            [--profile (perf record of each measured run, kept in the work folder)]
                       (writes the section "HTTP server" of docs/performance.md; exits 1 if an acknowledged PUT is missing)
          plugins      load-all of 500 real plugin assemblies in a DAG of depth 10, each initialize awaiting 10 ms, against
                       the critical-path bound: plugins [--quick] [--report FILE | --no-report]
                       (writes the section "Plugin load-all" of docs/performance.md)
        """);
    return 2;
}
