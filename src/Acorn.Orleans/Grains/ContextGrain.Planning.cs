using Acorn.Contexts;

namespace Acorn.Orleans.Grains;

public sealed partial class ContextGrain
{
    /// <summary>The running state unless it has expired at <paramref name="now"/>: an expired context is invisible at once, before any sweep.</summary>
    private ContextRecord? LiveAt(DateTimeOffset now) =>
        context.State.Current is { } current && !(current.ExpiresAt <= now) ? current : null;

    /// <summary>Makes <paramref name="next"/> the running state (<see langword="null"/> deletes) and returns its change number.</summary>
    private long Apply(ContextRecord? next)
    {
        var state = context.State;
        state.LastVersion = Math.Max(state.LastVersion, next?.Version ?? state.Current?.Version ?? 0);
        state.Current = next;
        return ++state.Changes;
    }

    /// <summary>The refusal of a write that needs a live context at <paramref name="expectedVersion"/>, if any.</summary>
    private ContextWriteResult? Refuse(long? expectedVersion, DateTimeOffset now) => LiveAt(now) switch
    {
        null => new ContextWriteResult(ContextWriteOutcome.NotFound, null),
        { } current when expectedVersion is { } expected && expected != current.Version =>
            new ContextWriteResult(ContextWriteOutcome.VersionConflict, current),
        _ => null,
    };

    /// <summary>The silo's own check of the content: clients check with their options, the silo enforces its limits.</summary>
    private string? RefuseContent(ContextWrite write)
    {
        try
        {
            ContextContentRules.ThrowIfInvalid(Id, ContextContent.Parse(write.DataJson, write.Metadata), options.Value);
            return null;
        }
        catch (Exception ex) when (ex is InvalidContextDataException or System.Text.Json.JsonException)
        {
            return ex is InvalidContextDataException invalid ? invalid.Reason : ex.Message;
        }
    }

    private static ContextRecord NextVersion(
        ContextRecord current, DateTimeOffset now, string dataJson, IReadOnlyDictionary<string, string> metadata, TimeSpan? timeToLive) =>
        current with
        {
            Version = current.Version + 1,
            UpdatedAt = now,
            ExpiresAt = ExpiryAfter(now, timeToLive, keep: current.ExpiresAt),
            DataJson = dataJson,
            Metadata = metadata,
        };

    private static DateTimeOffset? ExpiryAfter(DateTimeOffset now, TimeSpan? timeToLive, DateTimeOffset? keep) =>
        timeToLive switch
        {
            null => keep,
            { } ttl when ttl == Timeout.InfiniteTimeSpan => null,
            { } ttl => now + ttl,
        };

    /// <summary>Tells the directory a new expiry before the write that sets it is persisted (the directory may know more, never less).</summary>
    private async ValueTask NoteExpiryAsync(ContextRecord current, ContextRecord next)
    {
        if (next.ExpiresAt != current.ExpiresAt)
        {
            await Directory.TryAddAsync(Id, next.ExpiresAt, int.MaxValue);
        }
    }

    // The removal is persisted and is acknowledged as such. Snapshots left behind belong to an incarnation that is never
    // shown again; a directory entry left behind is removed when listing meets it (ForgetIfAbsentAsync).
    private static async ValueTask BestEffortAsync(Func<Task> cleanup)
    {
        try
        {
            await cleanup();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
        }
    }
}
