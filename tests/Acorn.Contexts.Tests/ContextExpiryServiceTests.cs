using Acorn.Contexts.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Acorn.Contexts.Tests;

public sealed class ContextExpiryServiceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // A conflict and a cancellation the host did not ask for reach the sweeper as they are; anything else arrives
    // wrapped in a ContextStoreException.
    public static TheoryData<string> Failures => ["conflict", "cancelled-by-the-store", "invalid-operation"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task SweepThatThrowsAnythingButStoreErrors_IsLogged_AndTheHostKeepsSweeping(string failure)
    {
        var store = new ExpiryDeleteFailsOnce(new InMemoryContextStore(), failure);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var logs = new FakeLogCollector();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));
        builder.Services.AddSingleton<IContextStore>(store);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddAcorn(o => o.ExpirySweepInterval = Interval);
        using var host = builder.Build();
        await host.StartAsync(Ct);
        var stopping = StoppingAsync(host);
        var manager = host.Services.GetRequiredService<ContextManager>();
        using var changes = manager.Subscribe("brief");
        await manager.CreateAsync("brief", ContextContent.Parse("{}") with { TimeToLive = TimeSpan.FromSeconds(30) }, Ct);

        time.Advance(Interval);
        await store.Failed;

        // Had the failure escaped ExecuteAsync, the host would be stopping now and no second sweep would come.
        time.Advance(Interval);
        var expired = ExpiredAsync(changes);
        var secondSweep = await Task.WhenAny(expired, stopping);
        Assert.True(secondSweep == expired, "the host stopped after a failed sweep instead of sweeping again");
        Assert.Null(await manager.FindAsync("brief", Ct));
        // The manager skips a context it fails to expire (event 1012) and the service logs a sweep that threw (1011). A
        // stale-version refusal nothing explains is no failure at all: the manager reads the context back and expires it.
        var logged = logs.GetSnapshot().Where(r => r.Id.Id is 1011 or 1012).ToList();
        if (failure != "conflict")
        {
            var warning = Assert.Single(logged);
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.True(warning.Exception == store.Thrown || warning.Exception?.InnerException == store.Thrown, $"logged {warning.Exception}");
        }

        Assert.False(stopping.IsCompleted, "the host began to stop after a failed sweep");

        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task StoppingTheHost_EndsTheSweeperWithoutLoggingAFailure()
    {
        var logs = new FakeLogCollector();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));
        builder.Services.AddAcorn(o => o.ExpirySweepInterval = Interval);
        using var host = builder.Build();

        await host.StartAsync(Ct);
        await host.StopAsync(Ct);

        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    private static Task StoppingAsync(IHost host)
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());
        return stopping.Task;
    }

    private static async Task ExpiredAsync(ContextChangeSubscription changes)
    {
        await foreach (var change in changes.ReadAllAsync(Ct))
        {
            if (change.Kind == ContextChangeKind.Expired)
            {
                return;
            }
        }
    }

    /// <summary>The first delete (the sweep's) throws an error that is not a <see cref="ContextStoreException"/>; later ones reach the store.</summary>
    private sealed class ExpiryDeleteFailsOnce(IContextStore inner, string failure) : DelegatingContextStore(inner)
    {
        private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _deletes;

        public Task Failed => _failed.Task;

        public Exception? Thrown { get; private set; }

        public override ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken)
        {
            if (write is not DeleteContextWrite || Interlocked.Increment(ref _deletes) > 1)
            {
                return Inner.WriteAsync(write, cancellationToken);
            }

            Thrown = failure switch
            {
                "conflict" => new ContextVersionConflictException(write.ContextId, write.ExpectedVersion, write.ExpectedVersion + 1),
                "cancelled-by-the-store" => new OperationCanceledException("injected: the store gave up on a timeout of its own"),
                _ => new InvalidOperationException("injected: a bug in the store"),
            };
            _failed.SetResult();
            return ValueTask.FromException(Thrown);
        }
    }
}
