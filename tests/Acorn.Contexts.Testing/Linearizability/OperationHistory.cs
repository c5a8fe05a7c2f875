using System.Collections.Concurrent;
using System.Text.Json;

namespace Acorn.Contexts.Testing.Linearizability;

/// <summary>
/// Records concurrent operations on contexts with their invocation and response order, for <see cref="HistoryChecker"/>.
/// </summary>
/// <remarks>
/// The clock is one atomic counter shared by all callers: an operation whose response tick is lower than another's
/// invocation tick completed before the other began, in real time. A refusal (version conflict, no context, an
/// existing context) is recorded and rethrown; an operation that fails any other way is not recorded, and its outcome
/// is unknown: use the checker on runs without storage faults.
/// </remarks>
public sealed class OperationHistory
{
    private readonly ConcurrentQueue<HistoryEntry> _entries = new();
    private long _clock;

    /// <summary>The operations recorded so far (sort by <see cref="HistoryEntry.Responded"/> for their order).</summary>
    public IReadOnlyCollection<HistoryEntry> Entries => _entries;

    /// <summary>Runs an operation that returns a context's state and records it; a refusal is recorded and rethrown.</summary>
    /// <param name="contextId">The context.</param>
    /// <param name="operation">What the call does.</param>
    /// <param name="expectedVersion">The expected version of a compare-and-set or conditional delete.</param>
    /// <param name="call">The call; a delete returns the state it removed.</param>
    /// <returns>The call's state.</returns>
    public async Task<ContextState> RecordAsync(
        string contextId, HistoryOperation operation, long? expectedVersion, Func<Task<ContextState>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var invoked = Interlocked.Increment(ref _clock);
        try
        {
            var state = await call();
            Add(state.Version, state.Data.Clone(), HistoryOutcome.Done);
            return state;
        }
        catch (ContextVersionConflictException conflict)
        {
            Add(conflict.ActualVersion, null, HistoryOutcome.Conflict);
            throw;
        }
        catch (ContextNotFoundException)
        {
            Add(0, null, HistoryOutcome.NotFound);
            throw;
        }
        catch (ContextAlreadyExistsException)
        {
            Add(0, null, HistoryOutcome.AlreadyExists);
            throw;
        }

        void Add(long version, JsonElement? data, HistoryOutcome outcome) => _entries.Enqueue(new HistoryEntry(
            contextId, operation, invoked, Interlocked.Increment(ref _clock), version, data, expectedVersion, outcome));
    }
}
