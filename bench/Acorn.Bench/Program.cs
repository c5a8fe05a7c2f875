using Acorn.Bench.Contention;
using Acorn.Bench.Primitives;
using BenchmarkDotNet.Running;

// One executable, one entry point per suite: `dotnet run -c Release --project bench/Acorn.Bench -- <suite> [args]`.
return args switch
{
    ["primitives", .. var rest] => RunPrimitives(rest),
    ["contention", .. var rest] => await ContentionSuite.RunAsync(rest),
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
                       stores: contention [--quick] [--scenario Create|SharedUpdate|Reads|Mixed] [--out DIR]
                       (writes DIR/contention.md, default docs/; exits 1 if Acorn lost an update)
        """);
    return 2;
}
