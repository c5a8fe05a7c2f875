namespace Acorn.Bench.Contention;

/// <summary>Samples the thread-pool thread count every 10 ms and keeps the peak.</summary>
internal sealed class PeakThreadSampler : IDisposable
{
    private readonly Timer _timer;
    private int _peak = ThreadPool.ThreadCount;

    public PeakThreadSampler() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(10));

    public int Peak
    {
        get
        {
            Sample();
            return Volatile.Read(ref _peak);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        var now = ThreadPool.ThreadCount;
        int seen;
        while (now > (seen = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }
    }
}
