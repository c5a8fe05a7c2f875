namespace Acorn.Analyzers.Flow.Summaries;

/// <summary>A lock held by the caller that a method releases on every normal path.</summary>
internal sealed record ReleasedLock(string Family, LockPath Path);
