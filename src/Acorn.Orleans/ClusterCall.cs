using Acorn.Contexts;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace Acorn.Orleans;

/// <summary>
/// Calls into the cluster with Acorn's retry rules and error mapping: reads are retried while a silo that died is
/// replaced, writes only when the failure proves the request never reached a grain, so no write is applied twice.
/// </summary>
internal static class ClusterCall
{
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The failures that prove a request was never handed to a grain: the client could not connect to a gateway
    /// (<see cref="ConnectionFailedException"/>), or a silo answered with a rejection instead of delivering it
    /// (<see cref="OrleansMessageRejectionException"/>: the target silo could not be reached, is dead or stopping, the
    /// activation was gone; <see cref="GatewayTooBusyException"/>). A <see cref="SiloUnavailableException"/> or a
    /// <see cref="TimeoutException"/> proves nothing: the request may have been processed before the silo went.
    /// </summary>
    public static bool NeverSent(Exception exception) =>
        exception is ConnectionFailedException or OrleansMessageRejectionException or GatewayTooBusyException;

    /// <summary>
    /// The failures a dead silo causes until the cluster has replaced it: what a read retries (a read is safe to send
    /// again, so an answer that did not come in time counts too).
    /// </summary>
    public static bool SiloUnreachable(Exception exception) => NeverSent(exception) || exception is SiloUnavailableException or TimeoutException;

    /// <summary>
    /// Reads, retrying while the silo that hosts the grain (or the gateway on the way) cannot be reached, within the
    /// retry window; each attempt waits at most <see cref="ClusterRetryOptions.ReadAttemptTimeout"/>.
    /// </summary>
    /// <exception cref="ContextStoreException">The read failed (the message says why).</exception>
    public static async Task<T> ReadAsync<T>(string id, Func<Task<T>> call, ClusterRetryOptions retry, CancellationToken cancellationToken)
    {
        var window = new RetryWindow(retry);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await call().WaitAsync(retry.ReadAttemptTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (SiloUnreachable(ex) && window.TryPause(out var pause))
            {
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                throw new ContextStoreException(id, $"the read of context '{id}' failed ({ex.GetBaseException().Message})", ex);
            }
        }
    }

    /// <summary>
    /// Writes, sending the request again only when it provably never reached a grain, or the grain answered that it
    /// decided nothing (<paramref name="notAttempted"/>), within the retry window.
    /// </summary>
    /// <exception cref="ContextWriteOutcomeUnknownException">The write failed after it may have been persisted.</exception>
    /// <exception cref="ContextStoreException">The write failed and was certainly not persisted.</exception>
    public static async Task<T> WriteAsync<T>(
        string id, Func<Task<T>> call, Func<T, bool> notAttempted, ClusterRetryOptions retry, CancellationToken cancellationToken)
    {
        var window = new RetryWindow(retry);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            T result;
            try
            {
                result = await call().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (NeverSent(ex) && window.TryPause(out var pause))
            {
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (InconsistentStateException ex)
            {
                throw new ContextStoreException(
                    id, $"the write of context '{id}' failed: the context was written by another activation; this write was not persisted: retry", ex);
            }
            catch (Exception ex) when (IsFailure(ex) && NeverSent(ex))
            {
                throw new ContextStoreException(
                    id, $"the write of context '{id}' failed: it could not reach the cluster within {retry.RetryFor.TotalSeconds:0.#} s ({ex.GetBaseException().Message}); it was not persisted", ex);
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                throw new ContextWriteOutcomeUnknownException(
                    id, $"the write of context '{id}' failed ({ex.GetBaseException().Message}); it may or may not have been persisted", ex);
            }

            if (!notAttempted(result))
            {
                return result;
            }

            if (!window.TryPause(out var again))
            {
                throw new ContextStoreException(
                    id, $"the write of context '{id}' failed: its grain kept failing to persist for {retry.RetryFor.TotalSeconds:0.#} s; it was not persisted");
            }

            // The grain is leaving after a failed storage write: the next call reaches a new activation.
            await Task.Delay(again, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsFailure(Exception exception) => exception is not (ContextException or OperationCanceledException or ArgumentException);

    /// <summary>The retry window of one call: pauses that double from the first, while the window lasts.</summary>
    private struct RetryWindow(ClusterRetryOptions retry)
    {
        private long _started;
        private TimeSpan _next = retry.FirstPause;

        public bool TryPause(out TimeSpan pause)
        {
            if (_started == 0)
            {
                _started = System.Diagnostics.Stopwatch.GetTimestamp();
            }

            pause = _next;
            if (System.Diagnostics.Stopwatch.GetElapsedTime(_started) + pause > retry.RetryFor)
            {
                return false;
            }

            _next = _next * 2 < MaxPause ? _next * 2 : MaxPause;
            return true;
        }
    }
}
