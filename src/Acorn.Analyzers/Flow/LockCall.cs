using Microsoft.CodeAnalysis;

namespace Acorn.Analyzers.Flow;

/// <summary>An invocation that acquires or releases a lock.</summary>
/// <param name="Family">Which acquisitions a release ends: "monitor", "rw-read", "sem", ... .</param>
/// <param name="Lock">The expression naming the lock (the receiver, or Monitor's argument).</param>
/// <param name="IsAsync">True for an acquisition that completes through an await.</param>
/// <param name="ReturnsGuard">True when the acquisition returns a guard whose disposal releases it.</param>
/// <param name="TakenFlag">The <c>ref bool lockTaken</c> argument that tells whether the lock was taken, if any.</param>
/// <param name="GuardOut">The <c>out</c> argument that receives the guard of a synchronous <c>TryLock(out guard)</c>, if any.</param>
internal sealed record LockCall(string Family, IOperation? Lock, bool IsAsync, bool ReturnsGuard, IOperation? TakenFlag, IOperation? GuardOut = null);
