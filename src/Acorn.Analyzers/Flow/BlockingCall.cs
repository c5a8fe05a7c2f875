namespace Acorn.Analyzers.Flow;

/// <summary>A call that blocks the thread, and the code fix that can replace it with an await, if any.</summary>
/// <param name="Display">How the diagnostic names the call.</param>
/// <param name="AwaitFix">One of the <see cref="DiagnosticProperties"/> fix values, or null when no mechanical fix exists.</param>
internal sealed record BlockingCall(string Display, string? AwaitFix);
