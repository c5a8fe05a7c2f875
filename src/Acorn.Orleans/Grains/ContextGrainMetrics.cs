using System.Diagnostics.Metrics;

namespace Acorn.Orleans.Grains;

/// <summary>The instruments of meter <c>Acorn.Orleans</c>, recorded on the silos.</summary>
internal static class ContextGrainMetrics
{
    public const string MeterName = "Acorn.Orleans";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Versions one storage write of a context grain persisted (its batch); the count is the number of storage writes.</summary>
    public static readonly Histogram<int> VersionsPerWrite = Meter.CreateHistogram<int>(
        "acorn.orleans.context.write.versions", unit: "{version}", description: "Context versions persisted by one storage write of a context grain (a batch).");
}
