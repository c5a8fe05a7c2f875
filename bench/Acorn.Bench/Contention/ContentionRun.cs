namespace Acorn.Bench.Contention;

/// <summary>Everything one performance run measured and the facts its report states about how.</summary>
internal sealed record ContentionRun(
    IReadOnlyList<CellResult> Results,
    IReadOnlyList<StarvationResult> Starvation,
    PairedRatios? OneTask,
    string Command,
    DateTimeOffset Started,
    TimeSpan Duration,
    string Machine,
    int MinWorkerThreads,
    string Workload,
    IReadOnlyDictionary<(StoreKind Store, Scenario Scenario), (string Throughput, string P99)> Charts,
    string MicroBenchmarks);
