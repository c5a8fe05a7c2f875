using Microsoft.CodeAnalysis;

namespace Acorn.Analyzers.Flow;

/// <summary>A call that blocks the thread, and the code fix that can replace it with an await, if any.</summary>
/// <param name="Display">How the diagnostic names the call.</param>
/// <param name="AwaitFix">One of the <see cref="DiagnosticProperties"/> fix values, or null when no mechanical fix exists.</param>
/// <param name="OnTask">True when it blocks on a Task or ValueTask: sync-over-async, ACRN006's business outside a lock.</param>
/// <param name="Task">The one task it waits for (the receiver of <c>.Result</c>, <c>.Wait()</c>, <c>.GetAwaiter()</c>), if any.</param>
internal sealed record BlockingCall(string Display, string? AwaitFix, bool OnTask = false, IOperation? Task = null);
