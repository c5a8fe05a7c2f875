using System.Text.Json;

namespace Acorn.Contexts.Testing.Linearizability;

/// <summary>
/// Checks a fault-free <see cref="OperationHistory"/> against what linearizable per-context writes allow, across
/// deletes and creates of the same id.
/// </summary>
/// <remarks>
/// <para>
/// Versions never repeat for an id, and each acknowledged write produces a version one higher than the state it
/// replaced, so the versions order the states: a context's life is a line of incarnations, each a create at some
/// version c followed by writes at c + 1, c + 2, ... and ended by a delete of its last version, and the next create
/// starts above it (not necessarily at 1, nor right after it). On that line, state v sits at position 2v and the absence
/// a delete of version d leaves at 2d + 1 (0 before the first create).
/// </para>
/// <para>
/// A linearization exists when: no two acknowledged writes produced one version, and no two deletes removed one; every
/// write but a create is written on the version just below it, which no delete removed; a create follows a deleted
/// version (or none); every operation observes a position some operation produced (with that write's data) that began
/// before the observer's answer; and real time never goes backwards: an operation that began after another's answer
/// observes at least its position, and a write or delete produces a higher one. A refusal that names no version (no
/// context, an existing context) observes the lowest position that keeps real time, if any fits. Compare-and-set adds:
/// written at expected + 1 (a conditional delete removes the expected version), refused only with a different actual
/// version. So a version or ETag kept from a deleted incarnation that matches its successor (ABA) is caught: as a
/// version written twice, a write on a deleted version, or a read that went back in time.
/// </para>
/// </remarks>
public static class HistoryChecker
{
    private const int MaxReported = 20;

    /// <summary>Returns the violations found (at most 20), or none.</summary>
    /// <param name="entries">Every operation of the run, creates and deletes included.</param>
    /// <returns>One line per violation, naming the context and the operations.</returns>
    public static IReadOnlyList<string> Check(IEnumerable<HistoryEntry> entries)
    {
        var violations = new List<string>();
        foreach (var context in entries.GroupBy(e => e.ContextId))
        {
            CheckContext(context.Key, [.. context.OrderBy(e => e.Responded)], violations);
        }

        return [.. violations.Take(MaxReported)];
    }

    private static void CheckContext(string id, List<HistoryEntry> ops, List<string> violations)
    {
        var writers = Unique(id, ops.Where(o => o.Produced), "two acknowledged writes at version", violations);
        var deletes = Unique(id, ops.Where(o => o.Wrote && o.Operation == HistoryOperation.Delete), "two acknowledged deletes of version", violations);
        CheckIncarnations(id, writers, deletes, violations);
        foreach (var op in ops)
        {
            CheckCompareAndSet(id, op, violations);
            if (!op.Produced && op.Outcome is HistoryOutcome.Done or HistoryOutcome.Conflict)
            {
                CheckObservedVersionWasWritten(id, op, writers, violations);
            }
        }

        CheckRealTimeOrder(id, ops, writers, deletes, violations);
    }

    private static SortedDictionary<long, HistoryEntry> Unique(
        string id, IEnumerable<HistoryEntry> ops, string duplicate, List<string> violations)
    {
        var byVersion = new SortedDictionary<long, HistoryEntry>();
        foreach (var op in ops)
        {
            if (!byVersion.TryAdd(op.Version, op))
            {
                violations.Add($"{id}: {duplicate} {op.Version}: {byVersion[op.Version]} and {op}");
            }
        }

        return byVersion;
    }

    /// <summary>Each write stands on the live version below it; each create on a deleted version or on nothing.</summary>
    private static void CheckIncarnations(
        string id, SortedDictionary<long, HistoryEntry> writers, SortedDictionary<long, HistoryEntry> deletes, List<string> violations)
    {
        HistoryEntry? previous = null;
        foreach (var (version, write) in writers)
        {
            if (write.Operation == HistoryOperation.Create)
            {
                if (previous is not null && !deletes.ContainsKey(previous.Version))
                {
                    violations.Add($"{id}: {write} created the context again, but nothing deleted version {previous.Version} of {previous}");
                }
            }
            else if (previous?.Version != version - 1)
            {
                violations.Add($"{id}: {write} wrote version {version}, but none produced version {version - 1}");
            }
            else if (deletes.TryGetValue(version - 1, out var delete))
            {
                violations.Add($"{id}: {write} wrote version {version} on version {version - 1}, which {delete} had removed");
            }

            previous = write;
        }

        foreach (var (version, delete) in deletes)
        {
            if (!writers.ContainsKey(version))
            {
                violations.Add($"{id}: {delete} deleted version {version}, which no acknowledged write produced");
            }
        }
    }

    private static void CheckCompareAndSet(string id, HistoryEntry op, List<string> violations)
    {
        if (op.ExpectedVersion is not { } expected)
        {
            return;
        }

        if (op.Outcome == HistoryOutcome.Conflict && op.Version == expected)
        {
            violations.Add($"{id}: {op} was refused although the context was at the expected version");
        }
        else if (op.Outcome == HistoryOutcome.Done && op.Operation == HistoryOperation.CompareAndSet && op.Version != expected + 1)
        {
            violations.Add($"{id}: {op} wrote a version other than expected + 1");
        }
        else if (op.Outcome == HistoryOutcome.Done && op.Operation == HistoryOperation.Delete && op.Version != expected)
        {
            violations.Add($"{id}: {op} deleted a version other than the expected one");
        }
    }

    private static void CheckObservedVersionWasWritten(
        string id, HistoryEntry op, SortedDictionary<long, HistoryEntry> writers, List<string> violations)
    {
        if (!writers.TryGetValue(op.Version, out var writer))
        {
            violations.Add($"{id}: {op} observed version {op.Version}, which no acknowledged write produced");
            return;
        }

        if (writer.Invoked > op.Responded)
        {
            violations.Add($"{id}: {op} observed version {op.Version} before its write {writer} was invoked");
        }

        if (op.Data is { } data && writer.Data is { } written && !JsonElement.DeepEquals(data, written))
        {
            violations.Add($"{id}: {op} observed data {data.GetRawText()} at version {op.Version}, but {writer} wrote {written.GetRawText()}");
        }
    }

    /// <summary>
    /// An operation invoked after another responded must observe at least that one's position, and a write must
    /// produce a higher one: the latest position answered before each invocation is a running maximum over the
    /// operations sorted by response. A refusal that names no version is given the lowest position it can have.
    /// </summary>
    private static void CheckRealTimeOrder(
        string id,
        List<HistoryEntry> byResponse,
        SortedDictionary<long, HistoryEntry> writers,
        SortedDictionary<long, HistoryEntry> deletes,
        List<string> violations)
    {
        var positions = new long[byResponse.Count];
        var latest = new int[byResponse.Count];
        var responses = byResponse.Select(o => o.Responded).ToArray();
        for (var i = 0; i < byResponse.Count; i++)
        {
            var op = byResponse[i];

            // The last operation that responded before this one was invoked (ticks are unique, so never equal); it
            // responded before this one, so its position is already known.
            var before = ~Array.BinarySearch(responses, op.Invoked) - 1;
            var seen = before < 0 ? -1 : latest[before];
            var floor = seen < 0 ? 0 : positions[seen];
            switch (op.Outcome)
            {
                case HistoryOutcome.NotFound:
                    positions[i] = Lowest(AbsentPositions(deletes, op), floor) ?? Unplaced(
                        $"{id}: {op} found no context, yet the context existed throughout (it was at least at position {floor} when it began)");
                    break;
                case HistoryOutcome.AlreadyExists:
                    positions[i] = Lowest(LivePositions(writers, op), floor) ?? Unplaced(
                        $"{id}: {op} found the context existing, yet it did not exist at any point while it ran");
                    break;
                default:
                    positions[i] = op.Operation == HistoryOperation.Delete && op.Wrote ? 2 * op.Version + 1 : 2 * op.Version;
                    if (seen >= 0 && (op.Wrote ? positions[i] <= floor : positions[i] < floor))
                    {
                        violations.Add($"{id}: {op} was invoked after {byResponse[seen]} had answered, yet observed an older version");
                    }

                    break;
            }

            latest[i] = i > 0 && positions[latest[i - 1]] >= positions[i] ? latest[i - 1] : i;

            long Unplaced(string violation)
            {
                violations.Add(violation);
                return floor;
            }
        }
    }

    /// <summary>Where the context was absent, as far as <paramref name="op"/> could have seen: before any create, and after each delete begun before its answer.</summary>
    private static IEnumerable<long> AbsentPositions(SortedDictionary<long, HistoryEntry> deletes, HistoryEntry op) =>
        deletes.Values.Where(d => d.Invoked < op.Responded).Select(d => 2 * d.Version + 1).Prepend(0);

    /// <summary>Where the context existed, as far as <paramref name="op"/> could have seen: each state whose write began before its answer.</summary>
    private static IEnumerable<long> LivePositions(SortedDictionary<long, HistoryEntry> writers, HistoryEntry op) =>
        writers.Values.Where(w => w.Invoked < op.Responded).Select(w => 2 * w.Version);

    private static long? Lowest(IEnumerable<long> candidates, long floor) =>
        candidates.Where(p => p >= floor).Select(p => (long?)p).Min();
}
