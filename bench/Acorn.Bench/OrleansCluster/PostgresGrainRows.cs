using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// The storage floor a context grain's write stands on: the ADO.NET grain storage provider's own write statement
/// (<c>WriteToStorageKey</c>, read from the database's <c>OrleansQuery</c> table, as the provider reads it), with the
/// provider's parameters and a payload of the size a context grain stores, run straight through Npgsql.
/// </summary>
/// <remarks>
/// Like the provider, each call names the version it read and gets the next one back; like a grain, one row's writes
/// are made one at a time (a row's lock), so a hot row measures the same serial writes a hot grain makes without batching.
/// </remarks>
internal sealed class PostgresGrainRows(string connectionString, int payloadBytes) : IAsyncDisposable
{
    private const string ServiceId = "acorn-bench-floor";
    private const string StateName = "context";

    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);
    private readonly byte[] _payload = new byte[payloadBytes];
    private readonly ConcurrentDictionary<string, Row> _rows = new(StringComparer.Ordinal);
    private string _write = "";

    public int PayloadBytes => _payload.Length;

    /// <summary>Reads the provider's statement and inserts the rows (version 1), as the provider's first writes do.</summary>
    public async Task CreateAsync(IEnumerable<string> ids)
    {
        await using (var query = _source.CreateCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey'"))
        {
            _write = (string)(await query.ExecuteScalarAsync() ?? throw new InvalidOperationException("OrleansQuery has no WriteToStorageKey"));
        }

        foreach (var id in ids)
        {
            var row = _rows[id] = new Row();
            row.Version = await WriteAsync(id, expectedVersion: null);
        }
    }

    /// <summary>One provider write of the row: the version it holds, one up.</summary>
    public async Task UpdateAsync(string id)
    {
        var row = _rows[id];
        await row.Turn.WaitAsync();
        try
        {
            row.Version = await WriteAsync(id, row.Version);
        }
        finally
        {
            row.Turn.Release();
        }
    }

    /// <summary>The writes the rows took after their first: every version above 1.</summary>
    public async Task<long> StoredUpdatesAsync()
    {
        await using var sum = _source.CreateCommand("SELECT COALESCE(sum(version - 1), 0) FROM acorn_grain_state WHERE service_id = @s");
        sum.Parameters.AddWithValue("s", ServiceId);
        return Convert.ToInt64(await sum.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        foreach (var row in _rows.Values)
        {
            row.Turn.Dispose();
        }
    }

    private async Task<int> WriteAsync(string id, int? expectedVersion)
    {
        await using var command = _source.CreateCommand(_write);
        command.Parameters.AddWithValue("GrainIdHash", id.Length);
        command.Parameters.AddWithValue("GrainIdN0", 0L);
        command.Parameters.AddWithValue("GrainIdN1", 0L);
        command.Parameters.AddWithValue("GrainTypeHash", StateName.Length);
        command.Parameters.AddWithValue("GrainTypeString", StateName);
        command.Parameters.AddWithValue("GrainIdExtensionString", id);
        command.Parameters.AddWithValue("ServiceId", ServiceId);
        command.Parameters.Add(new NpgsqlParameter("GrainStateVersion", NpgsqlDbType.Integer) { Value = (object?)expectedVersion ?? DBNull.Value });
        command.Parameters.AddWithValue("PayloadBinary", _payload);
        var version = Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        return version != expectedVersion ? version : throw new InvalidOperationException($"row {id}: the write at version {expectedVersion} changed nothing");
    }

    /// <summary>A row's version and the turn its writes take.</summary>
    private sealed class Row
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public int Version { get; set; }
    }
}
