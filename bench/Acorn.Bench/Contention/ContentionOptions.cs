using System.Globalization;

namespace Acorn.Bench.Contention;

/// <summary>The command line of the performance run: <c>[--quick] [--scenario X] [--out DIR] [--no-micro]</c>.</summary>
internal sealed record ContentionOptions(bool Quick, string? ScenarioFilter, string OutFolder, bool SkipMicroBenchmarks)
{
    /// <summary>The values <c>--scenario</c> accepts: the matrix scenarios and the starvation scenario.</summary>
    public static readonly string[] ScenarioNames = [.. Enum.GetNames<Scenario>(), "Starvation"];

    public bool StarvationOnly => string.Equals(ScenarioFilter, "Starvation", StringComparison.OrdinalIgnoreCase);

    public Scenario[] MatrixScenarios => StarvationOnly ? [] : ScenarioFilter is { } s ? [Enum.Parse<Scenario>(s, ignoreCase: true)] : Enum.GetValues<Scenario>();

    public bool RunsStarvation => ScenarioFilter is null || StarvationOnly;

    /// <summary>The micro-benchmarks run only in a full run: they take minutes, and a filtered run is about one scenario.</summary>
    public bool RunsMicroBenchmarks => !Quick && ScenarioFilter is null && !SkipMicroBenchmarks;

    public StoreKind[] Stores => Quick ? [StoreKind.InMemory, StoreKind.SqliteFull, StoreKind.SimulatedRemote] : Enum.GetValues<StoreKind>();

    public int[] Concurrency => Quick ? [1, 64] : [1, 4, 16, 32, 64];

    public int OperationsPerCell => Quick ? 320 : 3_200;

    /// <summary>How many operations a cell runs, split across its tasks.</summary>
    /// <remarks>
    /// One context's writes to SQLite (SharedUpdate, Mixed) get more with more tasks, an eighth of the task count times
    /// as many: at 3,200 a 64-task cell of the async designs lasted about 30 ms, 50 writes per task, a few dozen group
    /// commits, and one slow fsync or the first commits' cold paths decided its ratio (0.6x one run, 1.3x the next). The
    /// simulated remote store's get the same for the async designs: at 800 operations a 64-task cell lasted about 40 ms,
    /// a dozen 2 ms writes per task, and the timer's granularity decided it (Mixed at 64 tasks: Acorn 0.84x seed async
    /// in one run, with both at the bound of 64 writes per latency). Naive sync keeps 800 there: it sends one write at a
    /// time whatever the task count (about 200 a second), so its cells already last seconds.
    /// </remarks>
    public int OperationsFor(StoreKind store, Scenario scenario, int tasks, string contender) =>
        scenario is Scenario.SharedUpdate or Scenario.Mixed && !Quick && GrowsWithTasks(store, contender)
            ? OperationsFor(store, scenario) * Math.Max(1, tasks / 8)
            : OperationsFor(store, scenario);

    private static bool GrowsWithTasks(StoreKind store, string contender) =>
        store is StoreKind.SqliteFull or StoreKind.SqliteNormal || (store == StoreKind.SimulatedRemote && contender != "naive sync");

    private int OperationsFor(StoreKind store, Scenario scenario) =>
        // A read, or any in-memory operation, costs a microsecond or so: 20 times the operations, or the cell measures
        // little more than starting its tasks (and a single GC pause decides its throughput). In-memory increments of one
        // context (SharedUpdate, Mixed) get 100 times: at 20 the cell lasted a tenth of a second, too short for the hot
        // context's own steady state to show past tiered compilation and the first collections. A simulated remote write
        // costs 2 ms whatever the machine, and one context's writes are serial: a quarter keeps its cells at seconds
        // (the full matrix spent 6 of its 10 minutes there) with hundreds of samples for the p99.
        store == StoreKind.InMemory && scenario is Scenario.SharedUpdate or Scenario.Mixed && !Quick ? 100 * OperationsPerCell
        : scenario == Scenario.Reads || store == StoreKind.InMemory ? 20 * OperationsPerCell
        : store == StoreKind.SimulatedRemote ? OperationsPerCell / 4
        : OperationsPerCell;

    /// <summary>The workload as the report states it.</summary>
    public string Workload => string.Create(CultureInfo.InvariantCulture,
        $"{OperationsPerCell:N0} operations per cell ({20 * OperationsPerCell:N0} for reads and for every in-memory cell{(Quick ? "" : $" but SharedUpdate and Mixed, which get {100 * OperationsPerCell:N0}")}, {OperationsPerCell / 4:N0} for writes to the simulated remote store{(Quick ? "" : $"; SharedUpdate and Mixed on SQLite, and the async designs' on the simulated remote store, get that times an eighth of the task count, {OperationsPerCell * 8:N0} and {OperationsPerCell * 2:N0} at 64 tasks")}), split evenly across the tasks (at least 5 each)");

    /// <summary>How long a starvation child may run: the naive design does not finish 1,024 tasks in minutes, and its p99 is then at least this.</summary>
    public TimeSpan StarvationCap => TimeSpan.FromSeconds(Quick ? 5 : 30);

    /// <summary>Parses the arguments, or returns the message that says what is wrong with them.</summary>
    public static (ContentionOptions? Options, string? Error) Parse(string[] args)
    {
        string? scenario = null;
        var outFolder = "docs";
        bool quick = false, noMicro = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--no-micro":
                    noMicro = true;
                    break;
                case "--scenario" when i + 1 < args.Length:
                    var wanted = args[++i];
                    scenario = ScenarioNames.FirstOrDefault(n => n.Equals(wanted, StringComparison.OrdinalIgnoreCase));
                    if (scenario is null)
                    {
                        return (null, string.Create(CultureInfo.InvariantCulture, $"Unknown scenario '{wanted}': expected one of {string.Join(", ", ScenarioNames)}."));
                    }

                    break;
                case "--out" when i + 1 < args.Length:
                    outFolder = args[++i];
                    break;
                default:
                    return (null, $"Unknown or incomplete argument '{args[i]}'.");
            }
        }

        return (new ContentionOptions(quick, scenario, outFolder, noMicro), null);
    }
}
