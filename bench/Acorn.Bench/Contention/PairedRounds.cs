using System.Globalization;
using Acorn.Bench.Reporting;

namespace Acorn.Bench.Contention;

/// <summary>
/// Acorn's and seed async's uncontended update (SharedUpdate in memory, one task), measured in alternating rounds of one
/// process after the matrix: the ratio of each round's pair, not of two cells minutes apart.
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
        var rounds = new List<(double Acorn, double Seed)>(Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            string[] order = round % 2 == 0 ? [Baseline, ContentionReport.Acorn] : [ContentionReport.Acorn, Baseline];
            double acorn = 0, seed = 0;
            foreach (var contender in order)
            {
                var cell = await ContentionRunner.RunAsync(StoreKind.InMemory, Scenario.SharedUpdate, contender, tasks: 1, operations);
                if (contender == Baseline)
                {
                    seed = cell.Throughput;
                }
                else
                {
                    acorn = cell.Throughput;
                }
            }

            rounds.Add((acorn, seed));
            progress.Step(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: Acorn {acorn:N0} ops/s, seed async {seed:N0} ops/s, {acorn / seed:N3}x"));
        }

        return new PairedRatios(operations, rounds);
    }
}

/// <summary>The rounds of <see cref="PairedRounds"/>: each round's Acorn and seed async throughput (ops/s).</summary>
internal sealed record PairedRatios(int OperationsPerCell, IReadOnlyList<(double Acorn, double Seed)> Rounds)
{
    private double[] Sorted => [.. Rounds.Select(r => r.Acorn / r.Seed).Order()];

    public double Median => Sorted[Sorted.Length / 2];

    public double Lowest => Sorted[0];

    public double Highest => Sorted[^1];

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"median {Median:N3}x over {Rounds.Count} alternating rounds of {OperationsPerCell:N0} increments (lowest {Lowest:N3}x, highest {Highest:N3}x; Acorn {Rounds.Min(r => r.Acorn):N0}-{Rounds.Max(r => r.Acorn):N0} ops/s, seed async {Rounds.Min(r => r.Seed):N0}-{Rounds.Max(r => r.Seed):N0})");
}
