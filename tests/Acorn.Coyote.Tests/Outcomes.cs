namespace Acorn.Coyote.Tests;

/// <summary>Awaits one acquisition and releases it at once, reporting whether the lock was obtained.</summary>
internal static class Outcomes
{
    public static async Task<bool> TryHoldAsync<TGuard>(ValueTask<TGuard> pending)
        where TGuard : IDisposable
    {
        try
        {
            using (await pending)
            {
                await Task.Yield();
                return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
