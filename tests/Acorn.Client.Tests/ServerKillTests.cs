using System.Collections.Concurrent;
using Acorn.Contexts;
using Acorn.Server.Tests;

namespace Acorn.Client.Tests;

/// <summary>
/// The server as a separate process, killed with SIGKILL while clients write through <see cref="AcornClient"/>, then
/// started again on the same data folder and port.
/// </summary>
public sealed class ServerKillTests : ServerProcessTests
{
    private const string Key = "client-kill-key-0123456789";
    private const int Writers = 8;

    [Fact]
    public async Task Killed_under_load_every_acknowledged_write_survives_writes_in_flight_fail_typed_and_the_stream_reports_a_reset()
    {
        var first = await ServerProcess.StartAsync(Folder, Key, "--Acorn:Server:EventHeartbeatInterval=00:00:01");
        var address = first.BaseAddress;
        var writer = Clients.Create(address, Key, o => o.MaxRetries = 1);
        var observer = Clients.Create(address, Key, o => (o.EventHeartbeatTimeout, o.EventReconnectTimeout) = (TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)));
        using var changes = observer.Subscribe();
        var ids = Enumerable.Range(0, Writers).Select(w => $"writer-{w}").ToArray();
        foreach (var id in ids)
        {
            await writer.CreateAsync(id, Counter(0), Ct);
        }

        // Each writer replaces its context with n = 1, 2, 3... and keeps the last acknowledged (version, n), until its
        // first failure: the write that was in flight, or the first one after, when the server was killed.
        var acknowledged = new (long Version, long N)[Writers];
        var failures = new ConcurrentDictionary<int, Exception>();
        var total = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writing = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var n = 1L; ; n++)
            {
                try
                {
                    var state = await writer.UpdateAsync(ids[w], Counter(n), cancellationToken: Ct);
                    acknowledged[w] = (state.Version, n);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failures[w] = ex;
                    return;
                }

                if (Interlocked.Increment(ref total) == 300)
                {
                    enough.TrySetResult();
                }
            }
        })).ToArray();

        await enough.Task.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        first.KillHard();
        await Task.WhenAll(writing).WaitAsync(TimeSpan.FromMinutes(1), Ct);
        await first.DisposeAsync();

        // Every writer failed, each with a typed error: "may have happened" for a write in flight, "nothing changed"
        // only for one that could not connect. None succeeded silently.
        Assert.Equal(Writers, failures.Count);
        Assert.All(failures.Values, e => Assert.True(
            e is ContextWriteOutcomeUnknownException || (e is ContextStoreException && e.Message.Contains("not sent", StringComparison.Ordinal)),
            $"{e.GetType().Name}: {e.Message}"));
        Assert.Contains(failures.Values, e => e is ContextWriteOutcomeUnknownException);

        await using var second = await ServerProcess.StartAsync(Folder, Key, "--urls", address.ToString().TrimEnd('/'), "--Acorn:Server:EventHeartbeatInterval=00:00:01");
        for (var w = 0; w < Writers; w++)
        {
            var state = await writer.GetAsync(ids[w], Ct);
            var n = state.Data.GetProperty("n").GetInt64();
            var (version, acked) = acknowledged[w];
            Assert.True(state.Version >= version && n >= acked, $"{ids[w]}: acknowledged v{version} n={acked}, found v{state.Version} n={n} after the restart");
            if (failures[w] is ContextWriteOutcomeUnknownException)
            {
                // The write in flight either happened or did not, whole.
                Assert.True((state.Version, n) == (version, acked) || (state.Version, n) == (version + 1, acked + 1), $"{ids[w]}: v{state.Version} n={n} after v{version} n={acked}");
            }
            else
            {
                Assert.Equal((version, acked), (state.Version, n));
            }
        }

        // The stream could not resume across the restart (the new process holds no old events): it says so with a reset,
        // then carries the new process's changes.
        var after = await writer.UpdateAsync(ids[0], Counter(-1), cancellationToken: Ct);
        var sawReset = false;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(TimeSpan.FromMinutes(1));
        await foreach (var change in changes.ReadAllAsync(wait.Token))
        {
            sawReset |= change.Kind == ContextChangeKind.Reset;
            if (change.ContextId == ids[0] && change.Version == after.Version)
            {
                break;
            }
        }

        Assert.True(sawReset, "the subscription resumed across a restart without saying that changes may have been lost");
    }

    private static ContextContent Counter(long n) => ContextContent.Parse($$"""{"n":{{n}}}""");
}
