using System.Collections.Concurrent;
using System.Text.Json;

namespace Acorn.Contexts.Testing.Linearizability;

/// <summary>What a recorded operation did.</summary>
public enum HistoryOperation
{
    /// <summary>Created the context (version 1).</summary>
    Create,

    /// <summary>Read the context.</summary>
    Read,

    /// <summary>Wrote only if the context was at the expected version.</summary>
    CompareAndSet,

    /// <summary>Wrote whatever version the context was at.</summary>
    BlindWrite,

    /// <summary>Read, computed and wrote with compare-and-set, retrying on conflicts (one operation to the caller).</summary>
    ReadModifyWrite,
}

/// <summary>One completed operation on one context.</summary>
/// <param name="ContextId">The context.</param>
/// <param name="Operation">What it did.</param>
/// <param name="Invoked">The history's clock when it was invoked.</param>
/// <param name="Responded">The history's clock when its answer arrived.</param>
/// <param name="Version">
/// The version it observed: the state read, the state written, or for a refused compare-and-set the actual version
/// the refusal reported.
/// </param>
/// <param name="Data">The state's data (none for a refusal).</param>
/// <param name="ExpectedVersion">The expected version of a compare-and-set.</param>
/// <param name="Refused">A compare-and-set refused with a version conflict.</param>
public sealed record HistoryEntry(
    string ContextId,
    HistoryOperation Operation,
    long Invoked,
    long Responded,
    long Version,
    JsonElement? Data,
    long? ExpectedVersion,
    bool Refused)
{
    /// <summary>Whether this operation changed the context: an acknowledged write.</summary>
    public bool Wrote => Operation != HistoryOperation.Read && !Refused;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Operation}{(ExpectedVersion is { } e ? $"(expected {e})" : "")}{(Refused ? " refused at" : "")} v{Version} [{Invoked}..{Responded}]";
}

/// <summary>
/// Records concurrent operations on contexts with their invocation and response order, for <see cref="HistoryChecker"/>.
/// </summary>
/// <remarks>
/// The clock is one atomic counter shared by all callers: an operation whose response tick is lower than another's
/// invocation tick completed before the other began, in real time. An operation that fails with anything but a
/// version conflict is not recorded, and its outcome is unknown: use the checker on runs without storage faults.
/// </remarks>
public sealed class OperationHistory
{
    private readonly ConcurrentQueue<HistoryEntry> _entries = new();
    private long _clock;

    /// <summary>The operations recorded so far (sort by <see cref="HistoryEntry.Responded"/> for their order).</summary>
    public IReadOnlyCollection<HistoryEntry> Entries => _entries;

    /// <summary>Runs an operation that returns a context's state and records it; a version conflict is recorded as a refusal and rethrown.</summary>
    /// <param name="contextId">The context.</param>
    /// <param name="operation">What the call does.</param>
    /// <param name="expectedVersion">The expected version of a compare-and-set.</param>
    /// <param name="call">The call.</param>
    /// <returns>The call's state.</returns>
    public async Task<ContextState> RecordAsync(
        string contextId, HistoryOperation operation, long? expectedVersion, Func<Task<ContextState>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var invoked = Interlocked.Increment(ref _clock);
        try
        {
            var state = await call();
            _entries.Enqueue(new HistoryEntry(
                contextId, operation, invoked, Interlocked.Increment(ref _clock), state.Version, state.Data.Clone(), expectedVersion, Refused: false));
            return state;
        }
        catch (ContextVersionConflictException conflict)
        {
            _entries.Enqueue(new HistoryEntry(
                contextId, operation, invoked, Interlocked.Increment(ref _clock), conflict.ActualVersion, null, expectedVersion, Refused: true));
            throw;
        }
    }
}
