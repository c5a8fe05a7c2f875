namespace Acorn.Threading.Internal;

/// <summary>Argument checks shared by every timed acquire.</summary>
internal static class Timeouts
{
    private static readonly TimeSpan Max = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    internal static void Validate(TimeSpan timeout, string paramName)
    {
        if (timeout == System.Threading.Timeout.InfiniteTimeSpan)
        {
            return;
        }

        if (timeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, timeout, Messages.NegativeTimeout);
        }

        if (timeout > Max)
        {
            throw new ArgumentOutOfRangeException(paramName, timeout, Messages.TimeoutTooLarge);
        }
    }
}
