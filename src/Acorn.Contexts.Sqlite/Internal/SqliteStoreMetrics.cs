using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Acorn.Contexts.Sqlite.Internal;

/// <summary>The SQLite store's instruments, on meter <c>Acorn.Contexts</c>.</summary>
internal static class SqliteStoreMetrics
{
    private static readonly Meter Meter = new("Acorn.Contexts");

    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "acorn.contexts.store.commit.duration", unit: "s", description: "Duration of one group commit, including the fsync.");

    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "acorn.contexts.store.batch.size", unit: "{write}", description: "Writes committed together in one transaction.");

    public static void RecordCommit(int batchSize, long startedTimestamp)
    {
        if (CommitDuration.Enabled)
        {
            CommitDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds);
        }

        BatchSize.Record(batchSize);
    }
}
