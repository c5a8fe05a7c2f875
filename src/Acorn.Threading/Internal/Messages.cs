namespace Acorn.Threading.Internal;

/// <summary>Exception messages of Acorn.Threading, kept in one place.</summary>
internal static class Messages
{
    internal const string GuardReleased = "The guard has been disposed: the lock it held was released.";
    internal const string GuardNotAcquired = "The guard was never acquired (it is a default value).";
    internal const string Timeout = "The lock was not acquired within the timeout.";
    internal const string NegativeTimeout = "The timeout must be non-negative or Timeout.InfiniteTimeSpan.";
    internal const string TimeoutTooLarge = "The timeout must be at most 4294967294 milliseconds.";
}
