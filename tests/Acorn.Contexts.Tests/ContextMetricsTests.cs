using Acorn.Contexts.Testing;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Acorn.Contexts.Tests;

public sealed class ContextMetricsTests : InMemoryContextTestBase
{
    [Fact]
    public async Task Operations_AreMeasured_ByOperationAndOutcome()
    {
        using var durations = new MetricCollector<double>(null, "Acorn.Contexts", "acorn.contexts.operation.duration");
        var manager = await NewManagerAsync();

        // Tagged with a unique id so measurements of tests running in parallel are told apart by outcome count only.
        await manager.CreateAsync("metrics-a", Counter(1), Ct);
        await Assert.ThrowsAsync<ContextAlreadyExistsException>(async () => await manager.CreateAsync("metrics-a", Counter(1), Ct));
        await Assert.ThrowsAsync<ContextVersionConflictException>(async () => await manager.UpdateAsync("metrics-a", Counter(2), expectedVersion: 7, Ct));

        var mine = durations.GetMeasurementSnapshot();
        Assert.Contains(mine, m => Tag(m, "operation") == "create" && Tag(m, "outcome") == "ok" && m.Value >= 0);
        Assert.Contains(mine, m => Tag(m, "operation") == "create" && Tag(m, "outcome") == "exists");
        Assert.Contains(mine, m => Tag(m, "operation") == "update" && Tag(m, "outcome") == "conflict");
    }

    private static string? Tag(CollectedMeasurement<double> measurement, string name) =>
        measurement.Tags.TryGetValue(name, out var value) ? value as string : null;
}
