using System.Globalization;
using Acorn.Contexts;
using Acorn.Contexts.Testing;

namespace Acorn.Client.Tests;

/// <summary>
/// The core's context contract, unchanged, through <see cref="AcornClient"/> against a real server on loopback, a fresh
/// one (and data folder) per test; reopening restarts the server on the same folder and port.
/// </summary>
/// <remarks>
/// The server runs in this process so that it can share the test's fake clock: the tests that move time run here too.
/// Only the tests that call <see cref="IContextManager.RemoveExpiredAsync"/> are skipped (the reason is in
/// <see cref="CannotSweepBecause"/>); <see cref="ExpiryOverHttpTests"/> covers expiry with a real short time to live
/// and the server's own sweeper.
/// </remarks>
public sealed class AcornClientContractTests : ContextManagerContractTests, IAsyncDisposable
{
    private readonly InProcessServer _server = new();
    private readonly TestClients _clients = new();
    private ContextOptions? _running;

    /// <summary>Fewer than in memory: each increment is a read and a compare-and-set over HTTP, waiting for its change on the subscription.</summary>
    protected override int IncrementsPerTask => 10;

    /// <inheritdoc/>
    protected override int RaceRounds => 30;

    /// <inheritdoc/>
    protected override string? CannotSweepBecause =>
        "RemoveExpiredAsync is the server's own maintenance (its sweeper deletes through its write path); AcornClient throws NotSupportedException. "
        + "ExpiryOverHttpTests covers expiry over HTTP with a real short time to live.";

    /// <inheritdoc/>
    protected override async Task<IContextManager> NewManagerAsync(ContextOptions? options = null)
    {
        if (!_server.IsRunning || ServerSettings(options).SequenceEqual(ServerSettings(_running)) is false)
        {
            await StartAsync(options);
        }

        return Client(options);
    }

    /// <inheritdoc/>
    protected override async Task<IContextManager> ReopenAsync(ContextOptions? options = null)
    {
        await StartAsync(options);
        return Client(options);
    }

    public async ValueTask DisposeAsync()
    {
        await _clients.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task StartAsync(ContextOptions? options)
    {
        await _server.StopAsync();
        await _server.StartAsync(ServerSettings(options), Time);
        _running = options;
    }

    private AcornClient Client(ContextOptions? options) =>
        _clients.Create(_server.BaseAddress!, configure: o => o.ChangeFeedCapacity = options?.ChangeFeedCapacity ?? o.ChangeFeedCapacity);

    /// <summary>The manager's limits as server settings; its request limits follow, as an operator who raises a data limit would set them.</summary>
    private static List<string> ServerSettings(ContextOptions? options)
    {
        var o = options ?? new ContextOptions();
        var settings = new List<string>
        {
            // The fake clock never moves by itself: the sweeper stays off so that only the tests move time.
            "--Acorn:Contexts:ExpirySweepInterval=00:00:00",
            Setting("Contexts:MaxContexts", o.MaxContexts),
            Setting("Contexts:MaxDataBytes", o.MaxDataBytes),
            Setting("Contexts:MaxDataDepth", o.MaxDataDepth),
            Setting("Contexts:MaxRecoveryPointsPerContext", o.MaxRecoveryPointsPerContext),
            // The server's own defaults (a 1 MiB body, 64 levels) unless the data may be larger or deeper.
            Setting("Server:MaxRequestBodyBytes", o.MaxDataBytes <= 1024 * 1024 ? 1024 * 1024 : 2L * o.MaxDataBytes),
            Setting("Server:MaxJsonDepth", Math.Max(64, o.MaxDataDepth)),
        };
        if (o.DefaultTimeToLive is { } ttl)
        {
            settings.Add($"--Acorn:Contexts:DefaultTimeToLive={ttl.ToString("c", CultureInfo.InvariantCulture)}");
        }

        return settings;
    }

    private static string Setting(string key, long value) => $"--Acorn:{key}={value.ToString(CultureInfo.InvariantCulture)}";
}
