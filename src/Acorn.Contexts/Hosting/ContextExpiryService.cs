using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acorn.Contexts;

/// <summary>Runs <see cref="ContextManager.RemoveExpiredAsync"/> every <see cref="ContextOptions.ExpirySweepInterval"/>.</summary>
internal sealed partial class ContextExpiryService(ContextManager manager, TimeProvider time, ILogger<ContextExpiryService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = manager.Options.ExpirySweepInterval;
        if (interval == TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await manager.RemoveExpiredAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (ContextStoreException ex)
            {
                // A failing store must not stop the sweeper: the next tick tries again.
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(1011, LogLevel.Warning, "The expiry sweep failed; it runs again at the next interval.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
