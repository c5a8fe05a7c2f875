using System.Globalization;
using Acorn.Bench.Reporting;

namespace Acorn.Bench.Contention;

/// <summary>
/// Acorn's and seed async's uncontended update (SharedUpdate in memory, one task), measured in alternating rounds of one
/// process after the async designs' cells: the ratio of each round's pair, not of two cells minutes apart.
/// </summary>
/// <remarks>
/// One cell per contender puts two half-second measurements side by side, each at whatever the machine did then: on this
/// shared machine the same code's 1-task ratio to seed async read 0.51x in one full run and 1.20x in a filtered run
/// 40 minutes earlier (2026-12-06), seed async's own rate moving from 622,582 to 1,522,145 ops/s. Rounds that alternate
/// (and swap which contender goes first) expose both to the same drift; the median of their ratios is what the target
/// reads, with the lowest and highest beside it.
/// </remarks>
internal static class PairedRounds
{
    public const int Rounds = 9;

    /// <summary>The contenders compared, the second over the first.</summary>
    public const string Baseline = "seed async";

    /// <summary>Runs <see cref="Rounds"/> pairs of 1-task cells of <paramref name="operations"/> increments each.</summary>
    public static async Task<PairedRatios> RunAsync(int operations, IRunProgress progress)
    {
        progress.BeginStage("paired 1-task rounds", Rounds);
        var rounds = new List<PairedRound>(Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            string[] order = round % 2 == 0 ? [Baseline, ContentionReport.Acorn] : [ContentionReport.Acorn, Baseline];
            CellResult? acorn = null, seed = null;
            foreach (var contender in order)
            {
                var cell = await ContentionRunner.RunAsync(StoreKind.InMemory, Scenario.SharedUpdate, contender, tasks: 1, operations);
                if (contender == Baseline)
                {
                    seed = cell;
                }
                else
                {
                    acorn = cell;
                }
            }

            var paired = new PairedRound(acorn!.Throughput, seed!.Throughput, CpuMicroseconds(acorn), CpuMicroseconds(seed));
            rounds.Add(paired);
            progress.Step(string.Create(CultureInfo.InvariantCulture,
                $"round {round + 1}: Acorn {paired.Acorn:N0} ops/s ({paired.AcornCpu:N2} µs CPU each), seed async {paired.Seed:N0} ops/s ({paired.SeedCpu:N2} µs), {paired.Acorn / paired.Seed:N3}x"));
        }

        return new PairedRatios(operations, rounds);
    }

    /// <summary>The process's CPU time per operation of a cell, in µs: what one update costs, whatever else the machine ran.</summary>
    private static double CpuMicroseconds(CellResult cell) => cell.CpuTime.TotalMicroseconds / cell.Operations;
}

/// <summary>One round of <see cref="PairedRounds"/>: each contender's throughput (ops/s) and CPU per update (µs).</summary>
internal readonly record struct PairedRound(double Acorn, double Seed, double AcornCpu, double SeedCpu);

/// <summary>The rounds of <see cref="PairedRounds"/>.</summary>
internal sealed record PairedRatios(int OperationsPerCell, IReadOnlyList<PairedRound> Rounds)
{
    private IEnumerable<double> Ratios => Rounds.Select(r => r.Acorn / r.Seed);

    public double Median => Statistics.Median(Ratios);

    public double Lowest => Ratios.Min();

    public double Highest => Ratios.Max();

    /// <summary>Acorn's median throughput over the rounds (ops/s).</summary>
    public double MedianAcorn => Statistics.Median(Rounds.Select(r => r.Acorn));

    /// <summary>The median CPU time per update (µs) of Acorn and of seed async over the rounds.</summary>
    public (double Acorn, double Seed) MedianCpu => (Statistics.Median(Rounds.Select(r => r.AcornCpu)), Statistics.Median(Rounds.Select(r => r.SeedCpu)));

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"median {Median:N3}x over {Rounds.Count} alternating rounds of {OperationsPerCell:N0} increments (lowest {Lowest:N3}x, highest {Highest:N3}x; Acorn {Rounds.Min(r => r.Acorn):N0}-{Rounds.Max(r => r.Acorn):N0} ops/s, seed async {Rounds.Min(r => r.Seed):N0}-{Rounds.Max(r => r.Seed):N0}; median CPU per update: Acorn {MedianCpu.Acorn:N2} µs, seed async {MedianCpu.Seed:N2} µs)");
}
