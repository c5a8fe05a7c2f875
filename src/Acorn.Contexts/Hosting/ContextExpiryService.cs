using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acorn.Contexts;

/// <summary>Runs <see cref="IContextManager.RemoveExpiredAsync"/> every <see cref="ContextOptions.ExpirySweepInterval"/>.</summary>
/// <remarks>
/// A sweep that fails is logged and the next interval sweeps again: an exception escaping <see cref="ExecuteAsync"/>
/// would stop the whole host (BackgroundServiceExceptionBehavior.StopHost, the default), so only the host stopping ends the loop.
/// </remarks>
internal sealed partial class ContextExpiryService(
    IContextManager manager, IOptions<ContextOptions> options, TimeProvider time, ILogger<ContextExpiryService> logger)
    : BackgroundService
{
    private PeriodicTimer? _timer;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Created here, not in ExecuteAsync (which .NET 10 starts on the thread pool), so the first sweep is due one
        // interval after the host started rather than after the loop happened to begin.
        var interval = options.Value.ExpirySweepInterval;
        _timer = interval == TimeSpan.Zero ? null : new PeriodicTimer(interval, time);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is null)
        {
            return;
        }

        while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await manager.RemoveExpiredAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Whatever one sweep throws (a store fault, a conflict, a store's own timeout) must not stop the host.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(1011, LogLevel.Warning, "The expiry sweep failed; it runs again at the next interval.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
