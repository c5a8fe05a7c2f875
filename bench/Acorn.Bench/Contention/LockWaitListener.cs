using System.Diagnostics.Metrics;

namespace Acorn.Bench.Contention;

/// <summary>
/// Sums the wait time Acorn's locks report on meter <c>Acorn.Threading</c> (<c>acorn.lock.wait.duration</c>), so that a cell
/// can say how long its tasks queued for locks. Acorn's locks time their waits only while something listens, so the
/// listener is on for every cell of the matrix, not only for the contenders that take those locks.
/// </summary>
internal sealed class LockWaitListener : IDisposable
{
    public const string MeterName = "Acorn.Threading";
    public const string WaitInstrument = "acorn.lock.wait.duration";

    private readonly MeterListener _listener = new();
    private long _waitNanoseconds;
    private long _acquisitions;

    public LockWaitListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name == WaitInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            Interlocked.Add(ref _waitNanoseconds, (long)(seconds * 1e9));
            Interlocked.Increment(ref _acquisitions);
        });
        _listener.Start();
    }

    /// <summary>The wait time and acquisitions recorded since the last call, and starts counting afresh.</summary>
    public LockWait Take() =>
        new(TimeSpan.FromTicks(Interlocked.Exchange(ref _waitNanoseconds, 0) / 100), Interlocked.Exchange(ref _acquisitions, 0));

    public void Dispose() => _listener.Dispose();
}

/// <summary>Time spent queued for Acorn.Threading locks during a cell, summed over every acquisition (zero-wait ones included).</summary>
internal sealed record LockWait(TimeSpan Total, long Acquisitions);
