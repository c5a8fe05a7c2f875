namespace Acorn.Client.Events;

/// <summary>
/// A read-only view of an event stream's body that fails a read when nothing at all, not even the server's heartbeat
/// comment, arrives within the heartbeat timeout: a silent server is noticed, and the subscription reconnects.
/// </summary>
/// <remarks>
/// The parser never surfaces comments, so the watch is on bytes: every read restarts the timer. A total timeout
/// would end healthy long streams; this one only ends silent ones.
/// </remarks>
internal sealed class HeartbeatStream(Stream inner, TimeSpan timeout, CancellationToken stopping) : Stream
{
    private readonly CancellationTokenSource _watchdog = CancellationTokenSource.CreateLinkedTokenSource(stopping);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The parser reads with the subscription's own token, to which the watchdog is linked already.
        _watchdog.CancelAfter(timeout);
        try
        {
            return await inner.ReadAsync(buffer, _watchdog.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The event stream was silent for {timeout.TotalSeconds:0.#} s: no change and no heartbeat.", ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read the event stream asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _watchdog.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
