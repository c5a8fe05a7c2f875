using System.Text.Json;

namespace Acorn.Contexts.Testing.Linearizability;

/// <summary>One completed operation on one context.</summary>
/// <param name="ContextId">The context.</param>
/// <param name="Operation">What it did.</param>
/// <param name="Invoked">The history's clock when it was invoked.</param>
/// <param name="Responded">The history's clock when its answer arrived.</param>
/// <param name="Version">
/// The version it observed: the state read, the state written, the state a delete removed, or for a conflict the
/// actual version the refusal reported; 0 when the outcome names none (not found, already exists).
/// </param>
/// <param name="Data">The state's data (none for a refusal).</param>
/// <param name="ExpectedVersion">The expected version of a compare-and-set or of a conditional delete.</param>
/// <param name="Outcome">How it ended.</param>
public sealed record HistoryEntry(
    string ContextId,
    HistoryOperation Operation,
    long Invoked,
    long Responded,
    long Version,
    JsonElement? Data,
    long? ExpectedVersion,
    HistoryOutcome Outcome = HistoryOutcome.Done)
{
    /// <summary>Whether this operation was refused (a conflict, no context, an existing context).</summary>
    public bool Refused => Outcome != HistoryOutcome.Done;

    /// <summary>Whether this operation changed the context: an acknowledged write or delete.</summary>
    public bool Wrote => Operation != HistoryOperation.Read && !Refused;

    /// <summary>Whether this operation produced the state at <see cref="Version"/>: an acknowledged create or write.</summary>
    public bool Produced => Wrote && Operation != HistoryOperation.Delete;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Operation}{(ExpectedVersion is { } e ? $"(expected {e})" : "")}{Outcome switch
        {
            HistoryOutcome.Conflict => " refused at",
            HistoryOutcome.NotFound => " found nothing",
            HistoryOutcome.AlreadyExists => " found it existing",
            _ => "",
        }}{(Version > 0 ? $" v{Version}" : "")} [{Invoked}..{Responded}]";
}
