namespace Acorn.Server.Dashboard;

/// <summary>One second of the dashboard's charts.</summary>
/// <param name="At">The end of the second.</param>
/// <param name="Operations">Context operations completed in that second.</param>
/// <param name="P50Milliseconds">Their median duration.</param>
/// <param name="P99Milliseconds">Their 99th percentile duration.</param>
/// <param name="LockWaits">Lock acquisitions in that second.</param>
/// <param name="LockWaitP99Milliseconds">The 99th percentile of the time they waited.</param>
public sealed record LiveStatsSample(
    DateTimeOffset At, long Operations, double P50Milliseconds, double P99Milliseconds, long LockWaits, double LockWaitP99Milliseconds);
