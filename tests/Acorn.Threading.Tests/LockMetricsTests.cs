using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Acorn.Threading.Tests;

public sealed class LockMetricsTests
{
    private const string WaitDuration = "acorn.lock.wait.duration";
    private const string HoldDuration = "acorn.lock.hold.duration";
    private const string Waiters = "acorn.lock.waiters";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mutex_RecordsWaitHoldAndWaiters_InSecondsWithKindModeAndName()
    {
        using var recorder = new Recorder("metrics-mutex");
        var time = new FakeTimeProvider();
        var mutex = new AsyncMutex<int>(0, "metrics-mutex", time);

        var holder = await mutex.LockAsync(Token);
        var waiter = mutex.LockAsync(Token).AsTask();
        time.Advance(TimeSpan.FromSeconds(2));
        holder.Dispose();
        var second = await waiter;
        time.Advance(TimeSpan.FromMilliseconds(500));
        second.Dispose();

        Assert.Equal([0.0, 2.0], recorder.Values(WaitDuration));
        Assert.Equal([2.0, 0.5], recorder.Values(HoldDuration));
        Assert.Equal([1.0, -1.0], recorder.Values(Waiters));
        Assert.All(recorder.All, m =>
        {
            Assert.Equal("mutex", m.Tags["acorn.lock.kind"]);
            Assert.Equal("exclusive", m.Tags["acorn.lock.mode"]);
        });
    }

    [Fact]
    public async Task RwLock_TagsReadsShared_AndWritesExclusive()
    {
        using var recorder = new Recorder("metrics-rw");
        var time = new FakeTimeProvider();
        var rw = new AsyncRwLock<int>(0, "metrics-rw", time);

        var read = await rw.ReadLockAsync(Token);
        time.Advance(TimeSpan.FromSeconds(1));
        read.Dispose();
        var write = await rw.WriteLockAsync(Token);
        time.Advance(TimeSpan.FromSeconds(3));
        write.Dispose();

        var holds = recorder.All.Where(m => m.Instrument == HoldDuration).ToArray();
        Assert.Equal(2, holds.Length);
        Assert.Equal(("shared", 1.0), ((string)holds[0].Tags["acorn.lock.mode"]!, holds[0].Value));
        Assert.Equal(("exclusive", 3.0), ((string)holds[1].Tags["acorn.lock.mode"]!, holds[1].Value));
        Assert.All(recorder.All, m => Assert.Equal("rwlock", m.Tags["acorn.lock.kind"]));
    }

    [Fact]
    public async Task CancelledAndTimedOutWaiters_AreUncountedOnce()
    {
        using var recorder = new Recorder("metrics-keyed");
        var time = new FakeTimeProvider();
        var locks = new KeyedAsyncLock<string>(null, "metrics-keyed", time);
        using var holder = await locks.LockAsync("k", Token);
        using var cts = new CancellationTokenSource();

        var cancelled = locks.LockAsync("k", cts.Token).AsTask();
        var timedOut = locks.LockAsync("k", TimeSpan.FromSeconds(1), Token).AsTask();
        await cts.CancelAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await Assert.ThrowsAsync<TimeoutException>(() => timedOut);

        Assert.Equal([1.0, 1.0, -1.0, -1.0], recorder.Values(Waiters));
        Assert.Equal([0.0], recorder.Values(WaitDuration));
        Assert.All(recorder.All, m => Assert.Equal("keyed", m.Tags["acorn.lock.kind"]));
    }

    private sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

    /// <summary>Collects Acorn.Threading measurements of one named lock (tests run in parallel and share the meter).</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<Measurement> _measurements = new();
        private readonly string _lockName;

        public Recorder(string lockName)
        {
            _lockName = lockName;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Acorn.Threading")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
            _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
            _listener.Start();
        }

        public IReadOnlyList<Measurement> All => [.. _measurements];

        public double[] Values(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value)];

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (map.TryGetValue("acorn.lock.name", out var name) && (string?)name == _lockName)
            {
                _measurements.Enqueue(new Measurement(instrument.Name, value, map));
            }
        }
    }
}
