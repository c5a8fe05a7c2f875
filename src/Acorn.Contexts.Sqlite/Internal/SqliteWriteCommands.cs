using Microsoft.Data.Sqlite;

namespace Acorn.Contexts.Sqlite.Internal;

/// <summary>The writer connection's prepared statements, and how each <see cref="ContextWrite"/> maps onto them.</summary>
internal sealed class SqliteWriteCommands : IDisposable
{
    private readonly SqliteCommand _selectVersion;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _deleteRecoveryPoints;
    private readonly SqliteCommand _insertRecoveryPoint;
    private readonly SqliteCommand _pruneRecoveryPoints;
    private readonly SqliteCommand _advanceSequence;
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
        _savePluginState = Create(connection, "INSERT INTO plugin_state (plugin_id, state, version, updated_at) VALUES ($id, $state, 1, $updated_at) ON CONFLICT (plugin_id) DO UPDATE SET state = excluded.state, version = version + 1, updated_at = excluded.updated_at RETURNING version;", "$id", "$state", "$updated_at");
        _deletePluginState = Create(connection, "DELETE FROM plugin_state WHERE plugin_id = $id;", "$id");
    }

    /// <summary>Applies one write inside the open transaction; returns the version conflict instead of applying a stale write.</summary>
    public ContextVersionConflictException? Apply(ContextWrite write, SqliteTransaction transaction)
    {
        var actual = StoredVersion(write.ContextId, transaction);
        if (actual != write.ExpectedVersion)
        {
            return new ContextVersionConflictException(write.ContextId, write.ExpectedVersion, actual);
        }

        switch (write)
        {
            case PutContextWrite put:
                var command = actual == 0 ? _insert : _update;
                SqliteRows.BindState(command.Parameters, put.State);
                Run(command, transaction);
                break;
            case DeleteContextWrite:
                _deleteRecoveryPoints.Parameters["$id"].Value = write.ContextId;
                Run(_deleteRecoveryPoints, transaction);
                _delete.Parameters["$id"].Value = write.ContextId;
                Run(_delete, transaction);
                break;
            case AddRecoveryPointWrite add:
                AddRecoveryPoint(add, transaction);
                break;
            default:
                throw new ArgumentException($"Unknown write type {write.GetType().Name}.", nameof(write));
        }

        return null;
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
        foreach (var command in (SqliteCommand[])[_selectVersion, _insert, _update, _delete, _deleteRecoveryPoints, _insertRecoveryPoint, _pruneRecoveryPoints, _advanceSequence, _savePluginState, _deletePluginState])
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
}
