using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Acorn.Contexts.Sqlite.Tests;

public sealed class SqliteServiceCollectionExtensionsTests : IDisposable
{
    private readonly TempDatabase _database = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddAcornSqlite_ReplacesTheInMemoryStore_AndTheHostFlushesItOnShutdown()
    {
        await RunHostAsync(async manager =>
        {
            await manager.CreateAsync("kept", ContextContent.Parse("""{"n":1}"""), Ct);
            await manager.UpdateAsync("kept", ContextContent.Parse("""{"n":2}"""), cancellationToken: Ct);
        });

        await RunHostAsync(async manager =>
        {
            var state = await manager.GetAsync("kept", Ct);
            Assert.Equal((2L, 2), (state.Version, state.Data.GetProperty("n").GetInt32()));
        });
    }

    [Fact]
    public async Task InvalidSqliteOptions_FailTheHostAtStart()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddAcorn().AddAcornSqlite(o => o.MaxBatchSize = 0);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));
        Assert.Contains("MaxBatchSize", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _database.Dispose();

    private async Task RunHostAsync(Func<ContextManager, Task> body)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddAcornSqlite(o => o.Path = _database.Path).AddAcorn();
        using var host = builder.Build();
        await host.StartAsync(Ct);
        Assert.IsType<SqliteContextStore>(host.Services.GetRequiredService<IContextStore>());
        await body(host.Services.GetRequiredService<ContextManager>());
        await host.StopAsync(Ct);
    }
}
