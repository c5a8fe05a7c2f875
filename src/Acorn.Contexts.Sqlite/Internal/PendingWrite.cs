using Microsoft.Data.Sqlite;

namespace Acorn.Contexts.Sqlite.Internal;

/// <summary>A write waiting for the writer task: applied inside a batch's transaction, acknowledged after its commit.</summary>
internal abstract class PendingWrite
{
    /// <summary>Applies the write inside the open transaction.</summary>
    /// <returns>The error to fail this write with once the batch commits (a version conflict), or <see langword="null"/>.</returns>
    public abstract Exception? Apply(SqliteWriteCommands commands, SqliteTransaction transaction);

    /// <summary>Acknowledges the write after its batch committed.</summary>
    public abstract void Succeed();

    /// <summary>Fails the write with <paramref name="exception"/>.</summary>
    public abstract void Fail(Exception exception);

    /// <summary>The error a caller sees when the batch holding this write failed to commit.</summary>
    public abstract ContextStoreException NotCommitted(Exception cause);

    /// <summary>The error a caller sees when the <c>COMMIT</c> of the batch holding this write failed: it may have been stored.</summary>
    public abstract ContextWriteOutcomeUnknownException OutcomeUnknown(Exception cause);
}
