using Acorn.Bench.Primitives;
using BenchmarkDotNet.Running;

// One executable, one entry point per suite: `dotnet run -c Release --project bench/Acorn.Bench -- <suite> [args]`.
return args switch
{
    ["primitives", .. var rest] => RunPrimitives(rest),
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
        """);
    return 2;
}
