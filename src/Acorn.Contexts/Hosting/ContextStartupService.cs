using Microsoft.Extensions.Hosting;

namespace Acorn.Contexts;

/// <summary>
/// Opens the context manager when the host starts, and activates the default context: a <see cref="ContextManager"/>
/// starts its load in the background and the host goes on once it serves writes, whatever the store's size.
/// </summary>
internal sealed class ContextStartupService(IContextManager manager, ContextAdapter adapter) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (manager is ContextManager local)
        {
            await local.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await manager.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        await adapter.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
