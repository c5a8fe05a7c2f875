using Microsoft.Data.Sqlite;

namespace Acorn.Contexts.Sqlite;

/// <summary>The database schema and its forward migrations.</summary>
internal static class SqliteSchema
{
    // Append only: a database at version N runs migrations N+1.. in order; an applied migration never changes.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE contexts (
            id          TEXT    NOT NULL PRIMARY KEY,
            version     INTEGER NOT NULL CHECK (version >= 1),
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL,
            expires_at  INTEGER NULL,
            data        TEXT    NOT NULL,
            metadata    TEXT    NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE recovery_points (
            id          INTEGER NOT NULL PRIMARY KEY,
            context_id  TEXT    NOT NULL,
            version     INTEGER NOT NULL,
            taken_at    INTEGER NOT NULL,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL,
            expires_at  INTEGER NULL,
            data        TEXT    NOT NULL,
            metadata    TEXT    NOT NULL
        );
        CREATE INDEX recovery_points_by_context ON recovery_points (context_id, id DESC);
        CREATE TABLE sequences (
            name        TEXT    NOT NULL PRIMARY KEY,
            value       INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,

        // 2: plugin state in the same file. A rowid table, unlike the others: WITHOUT ROWID suits small rows, and a
        // plugin's state may be large.
        """
        CREATE TABLE plugin_state (
            plugin_id   TEXT    NOT NULL PRIMARY KEY,
            state       BLOB    NOT NULL,
            version     INTEGER NOT NULL CHECK (version >= 1),
            updated_at  INTEGER NOT NULL
        );
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>Brings the database to <see cref="LatestVersion"/>; refuses a database from a newer Acorn.</summary>
    public static void Migrate(SqliteConnection connection, string path)
    {
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);");
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version;";
        var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > LatestVersion)
        {
            throw new ContextStoreException(
                null,
                $"The database '{path}' has schema version {current}, newer than this version of Acorn understands ({LatestVersion}). Upgrade Acorn or use another file.");
        }

        for (var version = current + 1; version <= LatestVersion; version++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, Migrations[version - 1], transaction);
            Execute(connection, $"DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ({version});", transaction);
            transaction.Commit();
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
