using Acorn.Contexts;
using Acorn.Contexts.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Acorn.Client.Tests;

/// <summary>
/// What the client's pipeline retries and how it reports what it cannot: reads retry across a restart, a write that
/// never reached the server says nothing changed, and the server's 503s map to the two store errors.
/// </summary>
public sealed class ResilienceTests : InProcessServerTests
{
    private AmbiguousCommitStore? _store;
    private RefusingStore? _refusing;

    [Fact]
    public async Task A_read_started_while_the_server_is_down_is_retried_until_it_is_back()
    {
        await Server.StartAsync();
        var client = Clients.Create(Server.BaseAddress!, configure: o => (o.MaxRetries, o.RetryDelay) = (10, TimeSpan.FromMilliseconds(100)));
        var created = await client.CreateAsync("kept", ContextContent.Parse("""{"n":1}"""), Ct);
        await Server.StopAsync();

        var reading = client.GetAsync("kept", Ct).AsTask();
        await Server.StartAsync();

        var read = await reading;
        Assert.Equal((created.Version, 1L), (read.Version, read.Data.GetProperty("n").GetInt64()));
    }

    [Fact]
    public async Task A_write_that_could_not_connect_says_nothing_changed_and_nothing_did()
    {
        await Server.StartAsync();
        var client = Clients.Create(Server.BaseAddress!, configure: o => o.MaxRetries = 2);
        await Server.StopAsync();

        var error = await Assert.ThrowsAsync<ContextStoreException>(async () => await client.CreateAsync("never", ContextContent.Parse("{}"), Ct));

        Assert.IsNotType<ContextWriteOutcomeUnknownException>(error);
        Assert.Contains("not sent", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
        await Server.StartAsync();
        Assert.Null(await client.FindAsync("never", Ct));
    }

    [Fact]
    public async Task A_503_saying_the_outcome_is_unknown_is_not_retried_and_surfaces_as_outcome_unknown()
    {
        await Server.StartAsync(configure: WrapStore);
        var client = Clients.Create(Server.BaseAddress!);
        var created = await client.CreateAsync("ambiguous", ContextContent.Parse("""{"n":0}"""), Ct);
        _store!.FailAfterCommitting(1);

        var error = await Assert.ThrowsAsync<ContextWriteOutcomeUnknownException>(
            async () => await client.UpdateAsync("ambiguous", ContextContent.Parse("""{"n":1}"""), created.Version, Ct));

        // Not retried: a retry would have answered 412 (the first attempt was stored), hiding that it happened.
        Assert.Equal("ambiguous", error.ContextId);
        Assert.Contains("may", error.Message, StringComparison.Ordinal);
        var read = await client.GetAsync("ambiguous", Ct);
        Assert.Equal((created.Version + 1, 1L), (read.Version, read.Data.GetProperty("n").GetInt64()));
    }

    [Fact]
    public async Task A_503_for_a_write_the_store_refused_is_a_store_error_that_changed_nothing()
    {
        await Server.StartAsync(configure: WrapStore);
        var client = Clients.Create(Server.BaseAddress!);
        var created = await client.CreateAsync("refused", ContextContent.Parse("""{"n":0}"""), Ct);
        _refusing!.RefuseNext();

        var error = await Assert.ThrowsAsync<ContextStoreException>(
            async () => await client.UpdateAsync("refused", ContextContent.Parse("""{"n":1}"""), created.Version, Ct));

        Assert.Contains("nothing was changed", error.Message, StringComparison.Ordinal);
        var read = await client.GetAsync("refused", Ct);
        Assert.Equal((created.Version, 0L), (read.Version, read.Data.GetProperty("n").GetInt64()));
    }

    private void WrapStore(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
        var original = builder.Services.Last(d => d.ServiceType == typeof(IContextStore));
        builder.Services.Remove(original);
        builder.Services.AddSingleton<IContextStore>(services =>
            _refusing = new RefusingStore(_store = new AmbiguousCommitStore((IContextStore)original.ImplementationFactory!(services))));
    }

    /// <summary>A store that refuses its next write with a store error, before the write reaches storage.</summary>
    private sealed class RefusingStore(IContextStore inner) : DelegatingContextStore(inner)
    {
        private int _refuse;

        public void RefuseNext() => Volatile.Write(ref _refuse, 1);

        public override ValueTask<Task> SubmitAsync(ContextWrite write, CancellationToken cancellationToken) =>
            Interlocked.Exchange(ref _refuse, 0) == 1
                ? throw new ContextStoreException(write.ContextId, $"injected: the store refused the write to '{write.ContextId}'")
                : Inner.SubmitAsync(write, cancellationToken);

        public override ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken) => Inner.WriteAsync(write, cancellationToken);
    }
}
