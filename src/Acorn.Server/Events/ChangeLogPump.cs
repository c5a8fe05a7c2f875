using Acorn.Contexts;

namespace Acorn.Server.Events;

/// <summary>Feeds the <see cref="ChangeLog"/> from the manager's change feed for as long as the host runs.</summary>
/// <remarks>The subscription is taken in <see cref="StartAsync"/>, before the server accepts requests, so no change made through the API is missed.</remarks>
internal sealed class ChangeLogPump(IContextManager manager, ChangeLog log) : IHostedService
{
    private ContextChangeSubscription? _subscription;
    private Task? _pump;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = manager.Subscribe();
        _pump = PumpAsync(_subscription);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        if (_pump is not null)
        {
            await _pump.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PumpAsync(ContextChangeSubscription subscription)
    {
        await foreach (var change in subscription.ReadAllAsync().ConfigureAwait(false))
        {
            if (change.Kind == ContextChangeKind.Reset)
            {
                // The pump fell behind the manager's feed: changes were dropped where the reset stands.
                log.Append(ChangeLogEntryKind.Gap, null);
            }
            else
            {
                log.Append(ChangeLogEntryKind.Change, change);
            }
        }
    }
}
