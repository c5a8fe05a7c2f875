using System.Globalization;
using Acorn.Bench.Contention;

namespace Acorn.Bench.OrleansCluster;

/// <summary>The targets of issue 14 (hot contexts on the cluster), as ratios within one orleans run.</summary>
internal static class OrleansTargets
{
    public const int TargetTasks = 64;
    private const int Issue = 14;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static IReadOnlyList<TargetCheck> Evaluate(IReadOnlyList<OrleansCell> cells) => [.. Checks(cells)];

    private static IEnumerable<TargetCheck> Checks(IReadOnlyList<OrleansCell> cells)
    {
        var bareHot = Find(cells, Operation.BareCall, Spread.Hot);
        var blindHot = Find(cells, Operation.ClusterBlind, Spread.Hot);
        var patchHot = Find(cells, Operation.ClusterPatch, Spread.Hot);
        var incrementHot = Find(cells, Operation.ClusterIncrement, Spread.Hot);
        var twoClientsHot = Find(cells, Operation.ClusterIncrementTwoClients, Spread.Hot);
        var blindDistinct = Find(cells, Operation.ClusterBlind, Spread.Distinct);
        var floorDistinct = Find(cells, Operation.PostgresProviderWrite, Spread.Distinct);

        var blindRatio = Ratio(blindHot, bareHot);
        var versions = blindHot?.VersionsPerWrite;
        yield return new TargetCheck(
            "One hot context, 64 tasks, blind updates: ≥ 0.05x the bare grain call on one hot grain, and ≥ 16 versions per storage write",
            blindRatio is null ? "not measured" : string.Create(C, $"{blindRatio:0.000}x ({blindHot!.Throughput:N0}/s against {bareHot!.Throughput:N0}/s), {versions:0.0} versions per storage write"),
            blindRatio is null ? null : blindRatio >= 0.05 && versions >= 16,
            WhyHot(blindHot, bareHot, versions),
            Issue);

        var patchRatio = Ratio(patchHot, bareHot);
        yield return new TargetCheck(
            "One hot context, 64 tasks, patches: ≥ 0.05x the bare grain call",
            patchRatio is null ? "not measured" : string.Create(C, $"{patchRatio:0.000}x ({patchHot!.Throughput:N0}/s), {patchHot.VersionsPerWrite:0.0} versions per storage write"),
            patchRatio is null ? null : patchRatio >= 0.05,
            WhyHot(patchHot, bareHot, patchHot?.VersionsPerWrite),
            Issue);

        var attempts = incrementHot?.AttemptsPerUpdate;
        yield return new TargetCheck(
            "Hot read-modify-write increments, one client, 64 tasks: ≤ 1.5 attempts per update (two clients reported)",
            attempts is null ? "not measured" : string.Create(C,
                $"{attempts:0.00} attempts per update, {incrementHot!.Throughput:N0}/s; two clients: {twoClientsHot?.AttemptsPerUpdate:0.00} attempts, {twoClientsHot?.Throughput:N0}/s"),
            attempts is null ? null : attempts <= 1.5,
            "the local turn's runs conflicted with writes the client did not make",
            Issue);

        var distinctRatio = Ratio(blindDistinct, floorDistinct);
        yield return new TargetCheck(
            "Distinct contexts, 64 tasks: cluster blind updates ≥ 0.8x PostgreSQL alone running the ADO.NET provider's write statement",
            distinctRatio is null ? "not measured" : string.Create(C, $"{distinctRatio:0.000}x ({blindDistinct!.Throughput:N0}/s against {floorDistinct!.Throughput:N0}/s)"),
            distinctRatio is null ? null : distinctRatio >= 0.8,
            WhyDistinct(blindDistinct, floorDistinct),
            Issue);
    }

    private static string WhyHot(OrleansCell? cell, OrleansCell? bare, double? versions) => cell is null || bare is null
        ? "not measured"
        : string.Create(C,
            $"the hot grain's turn is one thread: {1_000_000 / cell.Throughput:0} µs of the cluster per update against {1_000_000 / bare.Throughput:0} µs for the bare call, at {versions:0.0} versions per storage write (machine {cell.Calls.MachineBusy * 100:0}% busy, bench process {cell.Calls.ProcessBusy * 100:0}%)");

    private static string WhyDistinct(OrleansCell? cluster, OrleansCell? floor) => cluster is null || floor is null
        ? "not measured"
        : string.Create(C,
            $"client, silos and PostgreSQL share the cores: the bench process used {CpuPerCall(cluster, process: true):0} µs of CPU per cluster write against {CpuPerCall(floor, process: true):0} µs per statement alone, and the machine {CpuPerCall(cluster, process: false):0} µs against {CpuPerCall(floor, process: false):0} µs (busy {cluster.Calls.MachineBusy * 100:0}% / {floor.Calls.MachineBusy * 100:0}%)");

    /// <summary>CPU microseconds per call, of the bench process or of the whole machine.</summary>
    private static double CpuPerCall(OrleansCell cell, bool process) =>
        (process ? cell.Calls.ProcessBusy : cell.Calls.MachineBusy) * Environment.ProcessorCount * 1_000_000 / cell.Throughput;

    private static double? Ratio(OrleansCell? cell, OrleansCell? reference) =>
        cell is null || reference is null || reference.Throughput == 0 ? null : cell.Throughput / reference.Throughput;

    private static OrleansCell? Find(IReadOnlyList<OrleansCell> cells, Operation operation, Spread spread) =>
        cells.FirstOrDefault(c => c.Operation == operation && c.Spread == spread && c.Tasks == TargetTasks);
}
