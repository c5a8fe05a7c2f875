using Npgsql;
using NpgsqlTypes;

namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// The storage floor under the cluster: one pooled UPDATE of a row per call, straight through Npgsql, in the same
/// PostgreSQL, so the report can say how much of a cluster write is the database round trip and how much is Orleans.
/// </summary>
internal sealed class PostgresRows(string connectionString) : IAsyncDisposable
{
    private const string Table = "acorn_bench_rows";

    // About the size of a context grain's stored state (its record, serialized by Orleans).
    private static readonly byte[] Payload = new byte[200];

    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    public async Task CreateAsync(IEnumerable<string> ids)
    {
        await using (var create = _source.CreateCommand($"CREATE TABLE {Table} (id text PRIMARY KEY, payload bytea NOT NULL, version bigint NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var insert = _source.CreateCommand($"INSERT INTO {Table} (id, payload, version) SELECT unnest(@ids), @payload, 1");
        insert.Parameters.AddWithValue("ids", ids.ToArray());
        insert.Parameters.AddWithValue("payload", Payload);
        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>What a context grain's write does: replace the payload, one version up; one round trip, autocommit.</summary>
    public async Task UpdateAsync(string id)
    {
        await using var update = _source.CreateCommand($"UPDATE {Table} SET payload = @payload, version = version + 1 WHERE id = @id");
        update.Parameters.AddWithValue("payload", NpgsqlDbType.Bytea, Payload);
        update.Parameters.AddWithValue("id", id);
        if (await update.ExecuteNonQueryAsync() != 1)
        {
            throw new InvalidOperationException($"row {id} is missing");
        }
    }

    /// <summary>The updates the rows took: every version above 1.</summary>
    public async Task<long> StoredUpdatesAsync()
    {
        await using var sum = _source.CreateCommand($"SELECT COALESCE(sum(version - 1), 0) FROM {Table}");
        return Convert.ToInt64(await sum.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
