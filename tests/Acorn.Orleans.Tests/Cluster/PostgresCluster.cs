using Acorn.Orleans.Tests.Servers;
using Npgsql;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>The 2-silo cluster with Orleans' ADO.NET grain storage in the fixture's own PostgreSQL.</summary>
public sealed class PostgresCluster : ContextCluster
{
    private readonly PostgresServer _postgres = new();

    /// <inheritdoc/>
    public override async Task<long> CountStoredRecordsAsync(string contextId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM acorn_grain_state WHERE grain_key = @id", connection);
        command.Parameters.AddWithValue("id", contextId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc/>
    protected override ValueTask StartStorageAsync() => _postgres.InitializeAsync();

    /// <inheritdoc/>
    protected override ValueTask StopStorageAsync() => _postgres.DisposeAsync();

    /// <inheritdoc/>
    protected override void AddStorage(ISiloBuilder silo)
    {
        var connectionString = _postgres.ConnectionString;
        silo.AddAdoNetGrainStorage(AcornOrleans.StorageName, o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
    }
}
