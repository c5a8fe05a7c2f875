using System.Globalization;
using Acorn.Bench.Reporting;

namespace Acorn.Bench.Contention;

/// <summary>
/// Acorn's and seed async's uncontended update (SharedUpdate in memory, one task), and Acorn's update of the same hot
/// context from 64 tasks, measured in rounds of one process after the async designs' cells: the ratios within each
/// round, not of cells minutes apart.
/// </summary>
/// <remarks>
/// One cell per contender puts two short measurements side by side, each at whatever the machine did then: on this
/// shared machine the same code's 1-task ratio to seed async read 0.51x in one full run and 1.20x in a filtered run
/// 40 minutes earlier (2026-12-06), seed async's own rate moving from 622,582 to 1,522,145 ops/s, and Acorn's 64-task
/// cell read 0.79x and 1.08x-1.29x its 1-task cell in runs of the same code the same day. Rounds that rotate the three
/// cells (each goes first, second and last in turn) expose them to the same drift; the medians of the ratios are what
/// the targets read, with the lowest and highest beside them.
/// </remarks>
internal static class PairedRounds
{
    public const int Rounds = 9;

    /// <summary>The contender Acorn's uncontended update is compared with.</summary>
    public const string Baseline = "seed async";

    private const string Seed1 = "seed async, 1 task";
    private const string Acorn1 = "Acorn, 1 task";
    private const string AcornHot = "Acorn, 64 tasks";

    /// <summary>
    /// Runs <see cref="Rounds"/> rounds of three cells: seed async and Acorn at one task (<paramref name="operations"/>
    /// increments each), and Acorn at <see cref="Targets.TargetTasks"/> tasks (<paramref name="hotOperations"/>).
    /// </summary>
    public static async Task<PairedRatios> RunAsync(int operations, int hotOperations, IRunProgress progress)
    {
        progress.BeginStage("paired rounds", Rounds);
        string[] cells = [Seed1, Acorn1, AcornHot];
        var rounds = new List<PairedRound>(Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            var measured = new Dictionary<string, CellResult>();
            for (var i = 0; i < cells.Length; i++)
            {
                var cell = cells[(round + i) % cells.Length];
                measured[cell] = cell switch
                {
                    Seed1 => await ContentionRunner.RunAsync(StoreKind.InMemory, Scenario.SharedUpdate, Baseline, tasks: 1, operations),
                    Acorn1 => await ContentionRunner.RunAsync(StoreKind.InMemory, Scenario.SharedUpdate, ContentionReport.Acorn, tasks: 1, operations),
                    _ => await ContentionRunner.RunAsync(StoreKind.InMemory, Scenario.SharedUpdate, ContentionReport.Acorn, Targets.TargetTasks, hotOperations),
                };
            }

            var paired = new PairedRound(
                measured[Acorn1].Throughput, measured[Seed1].Throughput, CpuMicroseconds(measured[Acorn1]), CpuMicroseconds(measured[Seed1]), measured[AcornHot].Throughput);
            rounds.Add(paired);
            progress.Step(string.Create(CultureInfo.InvariantCulture,
                $"round {round + 1}: Acorn {paired.Acorn:N0} ops/s ({paired.AcornCpu:N2} µs CPU each), seed async {paired.Seed:N0} ops/s ({paired.SeedCpu:N2} µs), {paired.Acorn / paired.Seed:N3}x; Acorn at 64 tasks {paired.AcornHot:N0} ops/s, {paired.AcornHot / paired.Acorn:N3}x its 1-task rate"));
        }

        return new PairedRatios(operations, hotOperations, rounds);
    }

    /// <summary>The process's CPU time per operation of a cell, in µs: what one update costs, whatever else the machine ran.</summary>
    private static double CpuMicroseconds(CellResult cell) => cell.CpuTime.TotalMicroseconds / cell.Operations;
}

/// <summary>
/// One round of <see cref="PairedRounds"/>: the 1-task throughputs (ops/s) and CPU per update (µs) of Acorn and seed
/// async, and Acorn's throughput at 64 tasks.
/// </summary>
internal readonly record struct PairedRound(double Acorn, double Seed, double AcornCpu, double SeedCpu, double AcornHot);

/// <summary>The rounds of <see cref="PairedRounds"/>.</summary>
internal sealed record PairedRatios(int OperationsPerCell, int HotOperationsPerCell, IReadOnlyList<PairedRound> Rounds)
{
    private IEnumerable<double> Ratios => Rounds.Select(r => r.Acorn / r.Seed);

    private IEnumerable<double> HotRatios => Rounds.Select(r => r.AcornHot / r.Acorn);

    /// <summary>The median over the rounds of Acorn's 1-task rate over seed async's.</summary>
    public double Median => Statistics.Median(Ratios);

    /// <summary>The median over the rounds of Acorn's 64-task rate over its 1-task rate.</summary>
    public double HotMedian => Statistics.Median(HotRatios);

    /// <summary>The median CPU time per update (µs) of Acorn and of seed async over the rounds.</summary>
    public (double Acorn, double Seed) MedianCpu => (Statistics.Median(Rounds.Select(r => r.AcornCpu)), Statistics.Median(Rounds.Select(r => r.SeedCpu)));

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"median {Median:N3}x over {Rounds.Count} rounds of {OperationsPerCell:N0} increments (lowest {Ratios.Min():N3}x, highest {Ratios.Max():N3}x; Acorn {Rounds.Min(r => r.Acorn):N0}-{Rounds.Max(r => r.Acorn):N0} ops/s, seed async {Rounds.Min(r => r.Seed):N0}-{Rounds.Max(r => r.Seed):N0}; median CPU per update: Acorn {MedianCpu.Acorn:N2} µs, seed async {MedianCpu.Seed:N2} µs)");

    public string DescribeHot() => string.Create(CultureInfo.InvariantCulture,
        $"median {HotMedian:N3}x over {Rounds.Count} rounds (lowest {HotRatios.Min():N3}x, highest {HotRatios.Max():N3}x; Acorn at 64 tasks {Rounds.Min(r => r.AcornHot):N0}-{Rounds.Max(r => r.AcornHot):N0} ops/s over {HotOperationsPerCell:N0} increments, at 1 task {Rounds.Min(r => r.Acorn):N0}-{Rounds.Max(r => r.Acorn):N0} over {OperationsPerCell:N0})");
}
