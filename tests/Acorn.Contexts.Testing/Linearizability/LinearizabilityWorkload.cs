using System.Text.Json;

namespace Acorn.Contexts.Testing.Linearizability;

/// <summary>
/// Many clients read, compare-and-set, blind-write, read-modify-write, delete and create a few contexts at once; the
/// recorded history must be linearizable per context (<see cref="HistoryChecker"/>), across the contexts' deletes and
/// creations again.
/// </summary>
/// <remarks>
/// Each client compares-and-sets (and sometimes deletes) at the last version it observed, so some of its writes win and
/// some are refused, and every write carries its own tag, so a read shows which write it saw. Deletes and creates keep
/// each context alive about three quarters of the time, so compare-and-sets kept from a deleted incarnation meet its
/// successor. Clients start at one gate and keep their own seeded random choice of operation and context.
/// </remarks>
public static class LinearizabilityWorkload
{
    /// <summary>Creates the contexts, runs the clients, reads every context once all have answered, and returns the history.</summary>
    /// <param name="calls">The operations under test.</param>
    /// <param name="ids">The contexts (they must not exist yet).</param>
    /// <param name="clients">How many clients run at once.</param>
    /// <param name="operationsEach">How many operations each client makes.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>Every operation: a create and a final read per context, and each client operation.</returns>
    public static async Task<IReadOnlyCollection<HistoryEntry>> RunAsync(
        ContextCalls calls, IReadOnlyList<string> ids, int clients, int operationsEach, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(ids);
        var history = new OperationHistory();
        foreach (var id in ids)
        {
            await history.RecordAsync(id, HistoryOperation.Create, null, () => calls.Create(id, Tagged("create"), cancellationToken));
        }

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Enumerable.Range(0, clients)
            .Select(client => Task.Run(async () =>
            {
                await gate.Task;
                await RunClientAsync(calls, history, ids, client, operationsEach, cancellationToken);
            }, cancellationToken))
            .ToArray();
        gate.SetResult();
        await Task.WhenAll(running);
        foreach (var id in ids)
        {
            // A read after every answer: the real-time check makes it show the last write (or the last delete).
            await RefusalAllowedAsync(() => history.RecordAsync(id, HistoryOperation.Read, null, () => calls.Get(id, cancellationToken)));
        }

        return history.Entries;
    }

    /// <summary>Asserts the history is linearizable and that it exercised what the checks rest on.</summary>
    /// <param name="entries">What <see cref="RunAsync"/> returned.</param>
    /// <param name="contexts">How many contexts it ran on.</param>
    /// <param name="clients">How many clients.</param>
    /// <param name="operationsEach">How many operations each client made.</param>
    public static void AssertLinearizable(IReadOnlyCollection<HistoryEntry> entries, int contexts, int clients, int operationsEach)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var violations = HistoryChecker.Check(entries);
        var cas = entries.Where(e => e.Operation == HistoryOperation.CompareAndSet).ToList();
        var creates = entries.Where(e => e.Operation == HistoryOperation.Create).ToList();
        var deletes = entries.Count(e => e.Operation == HistoryOperation.Delete && e.Wrote);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{entries.Count} operations, {entries.Count(e => e.Wrote)} writes, compare-and-set {cas.Count(e => e.Wrote)} written / " +
            $"{cas.Count(e => e.Outcome == HistoryOutcome.Conflict)} conflicts / {cas.Count(e => e.Outcome == HistoryOutcome.NotFound)} not found, " +
            $"{deletes} deletes, {creates.Count(e => e.Wrote) - contexts} created again (highest first version {creates.Where(e => e.Wrote).Max(e => e.Version)})");

        Assert.True(violations.Count == 0, string.Join('\n', violations));
        Assert.Equal(contexts + clients * operationsEach + contexts, entries.Count);

        // Without each outcome the checks on it would have checked nothing.
        Assert.Contains(cas, e => e.Outcome == HistoryOutcome.Conflict);
        Assert.Contains(cas, e => e.Wrote);
        Assert.Contains(entries, e => e.Outcome == HistoryOutcome.NotFound);
        Assert.Contains(creates, e => e.Outcome == HistoryOutcome.AlreadyExists);
        Assert.True(creates.Count(e => e.Wrote) > contexts, "no context was created again after a delete");

        // A read-modify-write computes from the state it replaces: the one at the version before its own.
        Assert.All(entries.Where(e => e.Operation == HistoryOperation.ReadModifyWrite && e.Wrote),
            e => Assert.Equal(e.Version - 1, e.Data!.Value.GetProperty("after").GetInt64()));
    }

    private static async Task RunClientAsync(
        ContextCalls calls, OperationHistory history, IReadOnlyList<string> ids, int client, int operationsEach, CancellationToken cancellationToken)
    {
        var random = new Random(client);
        var lastSeen = ids.ToDictionary(id => id, _ => 1L);
        for (var i = 0; i < operationsEach; i++)
        {
            var id = ids[random.Next(ids.Count)];
            var tag = $"{client}:{i}";
            var kind = random.Next(20) switch
            {
                < 5 => HistoryOperation.Read,
                < 10 => HistoryOperation.CompareAndSet,
                < 13 => HistoryOperation.BlindWrite,
                < 16 => HistoryOperation.ReadModifyWrite,
                < 17 => HistoryOperation.Delete,
                _ => HistoryOperation.Create,
            };
            var expected = kind == HistoryOperation.CompareAndSet || (kind == HistoryOperation.Delete && random.Next(2) == 0)
                ? lastSeen[id]
                : (long?)null;
            Func<Task<ContextState>> call = kind switch
            {
                HistoryOperation.Read => () => calls.Get(id, cancellationToken),
                HistoryOperation.ReadModifyWrite => () => calls.UpdateWith(id, s => Tagged(tag, after: s.Version), cancellationToken),
                HistoryOperation.Delete => () => calls.Delete(id, expected, cancellationToken),
                HistoryOperation.Create => () => calls.Create(id, Tagged(tag), cancellationToken),
                _ => () => calls.Update(id, Tagged(tag), expected, cancellationToken),
            };
            try
            {
                lastSeen[id] = (await history.RecordAsync(id, kind, expected, call)).Version;
            }
            catch (ContextVersionConflictException conflict)
            {
                lastSeen[id] = conflict.ActualVersion;
            }
            catch (Exception ex) when (ex is ContextNotFoundException or ContextAlreadyExistsException)
            {
                // Recorded: the checker decides whether the context could have been missing (or there) at that point.
            }
        }
    }

    private static async Task RefusalAllowedAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (ContextNotFoundException)
        {
            // Recorded as not found: the last client operation on the context deleted it.
        }
    }

    private static ContextContent Tagged(string tag, long? after = null) => new(after is { } version
        ? JsonSerializer.SerializeToElement(new { tag, after = version })
        : JsonSerializer.SerializeToElement(new { tag }));
}
