using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Acorn.Contexts.Internal;

/// <summary>The instruments of meter <c>Acorn.Contexts</c>.</summary>
internal static class ContextMetrics
{
    public const string MeterName = "Acorn.Contexts";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>(
        "acorn.contexts.operation.duration", unit: "s", description: "Duration of context operations by operation and outcome.");

    public static readonly UpDownCounter<long> ContextCount = Meter.CreateUpDownCounter<long>(
        "acorn.contexts.count", unit: "{context}", description: "Contexts held by context managers.");

    public static readonly Counter<long> ChangesDropped = Meter.CreateCounter<long>(
        "acorn.contexts.changes.dropped", unit: "{change}", description: "Changes dropped because a change-feed subscriber fell behind.");

    public static readonly Counter<long> Expired = Meter.CreateCounter<long>(
        "acorn.contexts.expired", unit: "{context}", description: "Contexts removed because they expired.");

    public static readonly Histogram<double> TurnWait = Meter.CreateHistogram<double>(
        "acorn.contexts.turn.wait.duration", unit: "s", description: "Time a write waited in its context's queue until its turn planned it.");

    public static readonly Histogram<int> TurnRunSize = Meter.CreateHistogram<int>(
        "acorn.contexts.turn.run.size", unit: "{write}", description: "Writes of one context planned and submitted together (a run).");

    /// <summary>A start timestamp for <see cref="RecordOperation"/>, read only while someone listens (0 otherwise).</summary>
    public static long Start() => OperationDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    public static void RecordOperation(string operation, string outcome, long startedTimestamp)
    {
        if (startedTimestamp != 0 && OperationDuration.Enabled)
        {
            OperationDuration.Record(
                Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds,
                new KeyValuePair<string, object?>("operation", operation),
                new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public static string OutcomeOf(Exception exception) => exception switch
    {
        ContextNotFoundException or RecoveryPointNotFoundException => "not_found",
        ContextAlreadyExistsException => "exists",
        ContextVersionConflictException => "conflict",
        ContextLimitExceededException => "limit",
        ContextPatchFailedException => "patch_failed",
        InvalidContextIdException or InvalidContextDataException or InvalidContextPatchException or ArgumentException => "invalid",
        ContextStoreException => "store_error",
        OperationCanceledException => "canceled",
        _ => "error",
    };
}
