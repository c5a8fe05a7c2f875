using Microsoft.Extensions.DependencyInjection;

namespace Acorn.Client.Tests;

/// <summary>Clients built as an application builds them (<c>AddAcornClient</c> on a service provider), disposed with the test.</summary>
public sealed class TestClients : IAsyncDisposable
{
    private readonly List<ServiceProvider> _providers = [];

    /// <summary>A client of <paramref name="server"/> with short retry delays; <paramref name="configure"/> changes the rest.</summary>
    public AcornClient Create(
        Uri server, string key = InProcessServer.AdminKey, Action<AcornClientOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        services?.Invoke(collection);
        var provider = collection
            .AddAcornClient(o =>
            {
                o.BaseAddress = server;
                o.ApiKey = key;
                o.RetryDelay = TimeSpan.FromMilliseconds(50);
                configure?.Invoke(o);
            })
            .BuildServiceProvider();
        lock (_providers)
        {
            _providers.Add(provider);
        }

        return provider.GetRequiredService<AcornClient>();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
    }
}
