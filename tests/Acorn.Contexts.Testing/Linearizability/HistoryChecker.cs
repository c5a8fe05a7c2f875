using System.Text.Json;

namespace Acorn.Contexts.Testing.Linearizability;

/// <summary>
/// Checks a fault-free <see cref="OperationHistory"/> against what linearizable per-context writes allow.
/// </summary>
/// <remarks>
/// Each acknowledged write produces a version one higher than the state it replaced, so the versions order the
/// writes: a linearization exists when, per context, the acknowledged writes hold versions exactly 1..N, every
/// operation observes a version some write produced (with that write's data) and that write began before the
/// observer's answer, and real time never goes backwards (an operation that began after another's answer observes
/// at least its version, and a write produces a higher one). Compare-and-set adds: written at expected + 1,
/// refused only with a different actual version.
/// </remarks>
public static class HistoryChecker
{
    private const int MaxReported = 20;

    /// <summary>Returns the violations found (at most 20), or none.</summary>
    /// <param name="entries">Every operation of the run, creates included.</param>
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
        var writers = new Dictionary<long, HistoryEntry>();
        foreach (var write in ops.Where(o => o.Wrote))
        {
            if (!writers.TryAdd(write.Version, write))
            {
                violations.Add($"{id}: two acknowledged writes at version {write.Version}: {writers[write.Version]} and {write}");
            }
        }

        var writeCount = ops.Count(o => o.Wrote);
        for (var version = 1L; version <= writeCount; version++)
        {
            if (!writers.ContainsKey(version))
            {
                violations.Add($"{id}: {writeCount} acknowledged writes, but none produced version {version}");
            }
        }

        foreach (var op in ops)
        {
            CheckCompareAndSet(id, op, violations);
            CheckObservedVersionWasWritten(id, op, writers, violations);
        }

        CheckRealTimeOrder(id, ops, violations);
    }

    private static void CheckCompareAndSet(string id, HistoryEntry op, List<string> violations)
    {
        if (op.Operation != HistoryOperation.CompareAndSet || op.ExpectedVersion is not { } expected)
        {
            return;
        }

        if (op.Refused && op.Version == expected)
        {
            violations.Add($"{id}: {op} was refused although the context was at the expected version");
        }
        else if (!op.Refused && op.Version != expected + 1)
        {
            violations.Add($"{id}: {op} wrote a version other than expected + 1");
        }
    }

    private static void CheckObservedVersionWasWritten(
        string id, HistoryEntry op, Dictionary<long, HistoryEntry> writers, List<string> violations)
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
    /// An operation invoked after another responded must observe at least that one's version, and a write must
    /// produce a higher one: the latest version answered before each invocation is a running maximum over the
    /// operations sorted by response.
    /// </summary>
    private static void CheckRealTimeOrder(string id, List<HistoryEntry> byResponse, List<string> violations)
    {
        var latest = new HistoryEntry[byResponse.Count];
        for (var i = 0; i < byResponse.Count; i++)
        {
            latest[i] = i > 0 && latest[i - 1].Version >= byResponse[i].Version ? latest[i - 1] : byResponse[i];
        }

        var responses = byResponse.Select(o => o.Responded).ToArray();
        foreach (var op in byResponse)
        {
            // The last operation that responded before this one was invoked (ticks are unique, so never equal).
            var before = ~Array.BinarySearch(responses, op.Invoked) - 1;
            if (before < 0)
            {
                continue;
            }

            var seen = latest[before];
            if (op.Wrote ? op.Version <= seen.Version : op.Version < seen.Version)
            {
                violations.Add($"{id}: {op} was invoked after {seen} had answered, yet observed an older version");
            }
        }
    }
}
