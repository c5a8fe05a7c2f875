using Microsoft.Data.Sqlite;

namespace Acorn.Contexts.Sqlite.Internal;

/// <summary>The writer connection's prepared statements, and how each <see cref="ContextWrite"/> maps onto them.</summary>
/// <remarks>
/// Within one batch a context's row is written once: each write is version-checked against the version the batch has
/// brought the context to, and only the last state is stored, by <see cref="WriteRows"/> before the commit. A hot
/// context whose versions the manager pipelines into one batch costs one row write, not one per version.
/// </remarks>
internal sealed class SqliteWriteCommands : IDisposable
{
    private readonly Dictionary<string, BatchedContext> _batch = new(StringComparer.Ordinal);
    private readonly SqliteCommand _selectVersion;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _deleteRecoveryPoints;
    private readonly SqliteCommand _insertRecoveryPoint;
    private readonly SqliteCommand _pruneRecoveryPoints;
    private readonly SqliteCommand _advanceSequence;
    private readonly SqliteCommand _advanceDeletedVersion;
    private readonly SqliteCommand _recoveryPointExists;
    private readonly SqliteCommand _savePluginState;
    private readonly SqliteCommand _deletePluginState;

    public SqliteWriteCommands(SqliteConnection connection)
    {
        _selectVersion = Create(connection, "SELECT version FROM contexts WHERE id = $id;", "$id");
        _insert = Create(connection, $"INSERT INTO contexts ({SqliteRows.ContextColumns}) VALUES ($id, $version, $created_at, $updated_at, $expires_at, $data, $metadata);");
        SqliteRows.AddStateParameters(_insert);
        _update = Create(connection, "UPDATE contexts SET version = $version, created_at = $created_at, updated_at = $updated_at, expires_at = $expires_at, data = $data, metadata = $metadata WHERE id = $id;");
        SqliteRows.AddStateParameters(_update);
        _delete = Create(connection, "DELETE FROM contexts WHERE id = $id;", "$id");
        _deleteRecoveryPoints = Create(connection, "DELETE FROM recovery_points WHERE context_id = $id;", "$id");
        _insertRecoveryPoint = Create(connection, $"INSERT INTO recovery_points (id, taken_at, context_id, version, created_at, updated_at, expires_at, data, metadata) VALUES ($rp, $taken_at, $id, $version, $created_at, $updated_at, $expires_at, $data, $metadata);", "$rp", "$taken_at");
        SqliteRows.AddStateParameters(_insertRecoveryPoint);
        _pruneRecoveryPoints = Create(connection, "DELETE FROM recovery_points WHERE context_id = $id AND id NOT IN (SELECT id FROM recovery_points WHERE context_id = $id ORDER BY id DESC LIMIT $keep);", "$id", "$keep");
        _advanceSequence = Create(connection, "INSERT INTO sequences (name, value) VALUES ('recovery_point', $value) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value);", "$value");
        _advanceDeletedVersion = Create(connection, "INSERT INTO sequences (name, value) VALUES ('deleted_version', $value) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value);", "$value");
        _recoveryPointExists = Create(connection, "SELECT count(*) FROM recovery_points WHERE context_id = $id AND id = $rp;", "$id", "$rp");
        _savePluginState = Create(connection, "INSERT INTO plugin_state (plugin_id, state, version, updated_at) VALUES ($id, $state, 1, $updated_at) ON CONFLICT (plugin_id) DO UPDATE SET state = excluded.state, version = version + 1, updated_at = excluded.updated_at RETURNING version;", "$id", "$state", "$updated_at");
        _deletePluginState = Create(connection, "DELETE FROM plugin_state WHERE plugin_id = $id;", "$id");
    }

    // The highest version this batch deletes: the store-wide mark that creates start above is raised in the same commit.
    private long _batchHighestDeleted;

    /// <summary>Forgets what the previous batch touched: call before applying a batch's first write.</summary>
    public void BeginBatch()
    {
        _batch.Clear();
        _batchHighestDeleted = 0;
    }

    /// <summary>
    /// Applies one write inside the open transaction; returns the refusal (a version conflict, a restore's missing
    /// recovery point) instead of applying a write that must not apply.
    /// </summary>
    public ContextException? Apply(ContextWrite write, SqliteTransaction transaction)
    {
        var context = Track(write.ContextId, transaction);
        if (context.Version != write.ExpectedVersion)
        {
            return new ContextVersionConflictException(write.ContextId, write.ExpectedVersion, context.Version);
        }

        if (write is RestoreContextWrite restore && !RecoveryPointExists(restore, transaction))
        {
            return new RecoveryPointNotFoundException(restore.ContextId, restore.RecoveryPointId);
        }

        switch (write)
        {
            case PutContextWrite put:
                context.Unwritten = put.State;
                context.Version = put.State.Version;
                break;
            case DeleteContextWrite:
                _batchHighestDeleted = Math.Max(_batchHighestDeleted, write.ExpectedVersion);
                _deleteRecoveryPoints.Parameters["$id"].Value = write.ContextId;
                Run(_deleteRecoveryPoints, transaction);
                if (context.RowExists)
                {
                    _delete.Parameters["$id"].Value = write.ContextId;
                    Run(_delete, transaction);
                }

                context.Unwritten = null;
                context.Version = 0;
                context.RowExists = false;
                break;
            case AddRecoveryPointWrite add:
                AddRecoveryPoint(add, transaction);
                break;
            default:
                throw new ArgumentException($"Unknown write type {write.GetType().Name}.", nameof(write));
        }

        return null;
    }

    /// <summary>Stores the last state of every context the batch changed: call after its last write, before the commit.</summary>
    public void WriteRows(SqliteTransaction transaction)
    {
        foreach (var context in _batch.Values)
        {
            if (context.Unwritten is { } state)
            {
                var command = context.RowExists ? _update : _insert;
                SqliteRows.BindState(command.Parameters, state);
                Run(command, transaction);
            }
        }

        _batch.Clear();
        if (_batchHighestDeleted > 0)
        {
            _advanceDeletedVersion.Parameters["$value"].Value = _batchHighestDeleted;
            Run(_advanceDeletedVersion, transaction);
        }
    }

    /// <summary>Replaces a plugin's state inside the open transaction; returns its new version.</summary>
    public long SavePluginState(string pluginId, byte[] state, long updatedAtTicks, SqliteTransaction transaction)
    {
        _savePluginState.Parameters["$id"].Value = pluginId;
        _savePluginState.Parameters["$state"].Value = state;
        _savePluginState.Parameters["$updated_at"].Value = updatedAtTicks;
        _savePluginState.Transaction = transaction;
        return (long)_savePluginState.ExecuteScalar()!;
    }

    /// <summary>Deletes a plugin's state inside the open transaction; returns how many rows went (0 or 1).</summary>
    public long DeletePluginState(string pluginId, SqliteTransaction transaction)
    {
        _deletePluginState.Parameters["$id"].Value = pluginId;
        _deletePluginState.Transaction = transaction;
        return _deletePluginState.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in (SqliteCommand[])[_selectVersion, _insert, _update, _delete, _deleteRecoveryPoints, _insertRecoveryPoint, _pruneRecoveryPoints, _advanceSequence, _advanceDeletedVersion, _recoveryPointExists, _savePluginState, _deletePluginState])
        {
            command.Dispose();
        }
    }

    private void AddRecoveryPoint(AddRecoveryPointWrite add, SqliteTransaction transaction)
    {
        SqliteRows.BindState(_insertRecoveryPoint.Parameters, add.Point.State);
        _insertRecoveryPoint.Parameters["$rp"].Value = add.Point.Id;
        _insertRecoveryPoint.Parameters["$taken_at"].Value = add.Point.CreatedAt.UtcTicks;
        Run(_insertRecoveryPoint, transaction);
        _pruneRecoveryPoints.Parameters["$id"].Value = add.ContextId;
        _pruneRecoveryPoints.Parameters["$keep"].Value = add.MaxPerContext;
        Run(_pruneRecoveryPoints, transaction);

        // Kept apart from the table: pruning or deleting the newest recovery point must not let an id be handed out twice.
        _advanceSequence.Parameters["$value"].Value = add.Point.Id;
        Run(_advanceSequence, transaction);
    }

    private bool RecoveryPointExists(RestoreContextWrite restore, SqliteTransaction transaction)
    {
        _recoveryPointExists.Parameters["$id"].Value = restore.ContextId;
        _recoveryPointExists.Parameters["$rp"].Value = restore.RecoveryPointId;
        _recoveryPointExists.Transaction = transaction;
        return (long)_recoveryPointExists.ExecuteScalar()! > 0;
    }

    private BatchedContext Track(string contextId, SqliteTransaction transaction)
    {
        if (!_batch.TryGetValue(contextId, out var context))
        {
            var stored = StoredVersion(contextId, transaction);
            _batch[contextId] = context = new BatchedContext { Version = stored, RowExists = stored != 0 };
        }

        return context;
    }

    private long StoredVersion(string contextId, SqliteTransaction transaction)
    {
        _selectVersion.Parameters["$id"].Value = contextId;
        _selectVersion.Transaction = transaction;
        return _selectVersion.ExecuteScalar() is long version ? version : 0;
    }

    private static void Run(SqliteCommand command, SqliteTransaction transaction)
    {
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    /// <summary>A context as the batch has left it so far.</summary>
    private sealed class BatchedContext
    {
        /// <summary>The version the context is at after the batch's writes so far (0: none).</summary>
        public long Version { get; set; }

        /// <summary>Whether the table holds a row for it now, inside the transaction.</summary>
        public bool RowExists { get; set; }

        /// <summary>Its latest state, not written to the table yet.</summary>
        public ContextState? Unwritten { get; set; }
    }
}
