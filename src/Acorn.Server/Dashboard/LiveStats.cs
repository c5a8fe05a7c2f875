using System.Diagnostics.Metrics;
using HdrHistogram;

namespace Acorn.Server.Dashboard;

/// <summary>
/// Per-second figures for the dashboard's charts, listened from the meters the server already has: context
/// operations per second and their p50/p99 (<c>acorn.contexts.operation.duration</c>), and how long writes waited for
/// their context's turn (<c>acorn.contexts.turn.wait.duration</c>). Keeps the last two minutes.
/// </summary>
internal sealed class LiveStats(TimeProvider time) : IHostedService, IDisposable
{
    private const int Seconds = 120;
    private const long HighestMicroseconds = 3_600_000_000;
    private const string TurnWaitInstrument = "acorn.contexts.turn.wait.duration";

    private readonly Lock _gate = new();
    private readonly Queue<LiveStatsSample> _samples = new();
    private LongHistogram _operations = NewHistogram();
    private LongHistogram _turnWaits = NewHistogram();
    private MeterListener? _listener;
    private ITimer? _timer;

    public IReadOnlyList<LiveStatsSample> Samples
    {
        get
        {
            lock (_gate)
            {
                return [.. _samples];
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name is "acorn.contexts.operation.duration" or TurnWaitInstrument)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((instrument, seconds, _, _) => Record(instrument.Name, seconds));
        _listener.Start();
        _timer = time.CreateTimer(_ => Roll(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _listener?.Dispose();
    }

    private void Record(string instrument, double seconds)
    {
        var microseconds = Math.Clamp((long)(seconds * 1_000_000), 1, HighestMicroseconds);
        lock (_gate)
        {
            (instrument == TurnWaitInstrument ? _turnWaits : _operations).RecordValue(microseconds);
        }
    }

    private void Roll()
    {
        LongHistogram operations, turnWaits;
        lock (_gate)
        {
            (operations, _operations) = (_operations, NewHistogram());
            (turnWaits, _turnWaits) = (_turnWaits, NewHistogram());
        }

        var sample = new LiveStatsSample(
            time.GetUtcNow(),
            operations.TotalCount,
            Milliseconds(operations, 50),
            Milliseconds(operations, 99),
            turnWaits.TotalCount,
            Milliseconds(turnWaits, 99));
        lock (_gate)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > Seconds)
            {
                _samples.Dequeue();
            }
        }
    }

    private static double Milliseconds(LongHistogram histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1000.0;

    private static LongHistogram NewHistogram() => new(HighestMicroseconds, 3);
}
