using Acorn.Contexts;

namespace Acorn.Server.Events;

/// <summary>One entry of the <see cref="ChangeLog"/>: a change, or a mark that changes were lost before the log saw them.</summary>
/// <param name="Position">The entry's position, from 1.</param>
/// <param name="Kind">What the entry is.</param>
/// <param name="Change">The change, for <see cref="ChangeLogEntryKind.Change"/>.</param>
internal sealed record ChangeLogEntry(long Position, ChangeLogEntryKind Kind, ContextChange? Change);

/// <summary>What a <see cref="ChangeLogEntry"/> is.</summary>
internal enum ChangeLogEntryKind
{
    /// <summary>A context change.</summary>
    Change,

    /// <summary>The pump fell behind the manager's feed and changes were dropped: readers must re-read state.</summary>
    Gap,
}
