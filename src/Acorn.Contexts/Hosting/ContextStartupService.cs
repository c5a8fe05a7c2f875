using Microsoft.Extensions.Hosting;

namespace Acorn.Contexts;

/// <summary>Loads the contexts and activates the default context when the host starts, so the first request does not wait.</summary>
internal sealed class ContextStartupService(IContextManager manager, ContextAdapter adapter) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await manager.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await adapter.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
