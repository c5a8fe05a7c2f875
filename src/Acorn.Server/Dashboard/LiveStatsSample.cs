namespace Acorn.Server.Dashboard;

/// <summary>One second of the dashboard's charts.</summary>
/// <param name="At">The end of the second.</param>
/// <param name="Operations">Context operations completed in that second.</param>
/// <param name="P50Milliseconds">Their median duration.</param>
/// <param name="P99Milliseconds">Their 99th percentile duration.</param>
/// <param name="TurnWaits">Writes whose context's turn planned them in that second.</param>
/// <param name="TurnWaitP99Milliseconds">The 99th percentile of the time they waited in their context's queue.</param>
public sealed record LiveStatsSample(
    DateTimeOffset At, long Operations, double P50Milliseconds, double P99Milliseconds, long TurnWaits, double TurnWaitP99Milliseconds);
