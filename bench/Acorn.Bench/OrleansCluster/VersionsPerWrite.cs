using System.Diagnostics.Metrics;

namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// Listens to the silos' <c>acorn.orleans.context.write.versions</c> histogram (the silos run in this process): how many
/// storage writes the context grains made and how many versions they held, between two samples.
/// </summary>
internal sealed class VersionsPerWrite : IDisposable
{
    private const string Instrument = "acorn.orleans.context.write.versions";
    private readonly MeterListener _listener = new();
    private long _writes;
    private long _versions;

    public VersionsPerWrite()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Acorn.Orleans" && instrument.Name == Instrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, versions, _, _) =>
        {
            Interlocked.Increment(ref _writes);
            Interlocked.Add(ref _versions, versions);
        });
        _listener.Start();
    }

    /// <summary>The storage writes and versions so far.</summary>
    public (long Writes, long Versions) Sample() => (Interlocked.Read(ref _writes), Interlocked.Read(ref _versions));

    public void Dispose() => _listener.Dispose();
}
