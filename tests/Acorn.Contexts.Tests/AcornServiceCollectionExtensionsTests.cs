using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Acorn.Contexts.Tests;

public sealed class AcornServiceCollectionExtensionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddAcorn_StartsAHostThatLoadsContexts_ActivatesTheDefault_AndSweepsExpiredOnes()
    {
        var store = new InMemoryContextStore();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IContextStore>(store);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddAcorn(o => o.ExpirySweepInterval = TimeSpan.FromMinutes(1));
        builder.Services.AddAcorn(); // registering twice changes nothing
        using var host = builder.Build();

        await host.StartAsync(Ct);
        var manager = host.Services.GetRequiredService<ContextManager>();
        var adapter = host.Services.GetRequiredService<ContextAdapter>();
        Assert.Equal("default", adapter.CurrentContextId);
        Assert.Single(host.Services.GetServices<IHostedService>().OfType<BackgroundService>());

        using var changes = manager.Subscribe("brief");
        await manager.CreateAsync("brief", ContextContent.Parse("{}") with { TimeToLive = TimeSpan.FromSeconds(30) }, Ct);
        time.Advance(TimeSpan.FromMinutes(1));
        await using var reader = changes.ReadAllAsync(Ct).GetAsyncEnumerator(Ct);
        Assert.True(await reader.MoveNextAsync());
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal(ContextChangeKind.Expired, reader.Current.Kind);

        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task InvalidOptions_FailTheHostAtStart_NamingTheOption()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddAcorn(o => o.MaxContexts = 0);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("MaxContexts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAcorn_RejectsNullServices() =>
        Assert.Throws<ArgumentNullException>(() => AcornServiceCollectionExtensions.AddAcorn(null!));
}
