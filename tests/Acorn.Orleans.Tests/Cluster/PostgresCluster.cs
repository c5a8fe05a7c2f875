using Acorn.Orleans.Tests.Cluster.Faults;
using Acorn.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>
/// The 2-silo cluster with Orleans' ADO.NET grain storage in the fixture's own PostgreSQL, behind
/// <see cref="FaultInjectingGrainStorage"/> (which passes everything through until a test arms a fault).
/// </summary>
public class PostgresCluster : ContextCluster
{
    private const string RealStorageName = "acorn-postgres";

    // Set by StartStorageAsync, before the silos that read it are built.
    private PostgresServer _postgres = null!;

    /// <summary>The PostgreSQL server, for tests that stop and restart it under the cluster.</summary>
    public PostgresServer Server => _postgres;

    /// <summary>Faults for the context grains' storage writes, and the record of those writes.</summary>
    public StorageFaults Faults { get; } = new();

    /// <inheritdoc/>
    public override async Task<long> CountStoredRecordsAsync(string contextId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM acorn_grain_state WHERE grain_key = @id", connection);
        command.Parameters.AddWithValue("id", contextId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Writes to a context's stored rows behind its activation's back, as a second activation of the same grain
    /// would: the row keeps its payload but gets a newer provider version (ETag).
    /// </summary>
    public async Task WriteBehindTheGrainsBackAsync(string contextId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE acorn_grain_state SET version = version + 1 WHERE grain_key = @id", connection);
        command.Parameters.AddWithValue("id", contextId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The payload PostgreSQL holds for a context's state (its <c>context</c> row).</summary>
    public async Task<byte[]> StoredStateAsync(string contextId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT payload FROM acorn_grain_state WHERE grain_key = @id AND grain_type = 'context'", connection);
        command.Parameters.AddWithValue("id", contextId);
        return (byte[])(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Replaces the payload of a context's state row, keeping its provider version (ETag), as an earlier Acorn would have stored it.</summary>
    public async Task ReplaceStoredStateAsync(string contextId, byte[] payload, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE acorn_grain_state SET payload = @p WHERE grain_key = @id AND grain_type = 'context'", connection);
        command.Parameters.AddWithValue("id", contextId);
        command.Parameters.AddWithValue("p", payload);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    protected override async ValueTask StartStorageAsync() =>
        _postgres = await PostgresServer.StartAsync(TestContext.Current.CancellationToken);

    /// <inheritdoc/>
    protected override ValueTask StopStorageAsync() => _postgres is null ? default : _postgres.DisposeAsync();

    /// <inheritdoc/>
    protected override void AddStorage(ISiloBuilder silo)
    {
        var connectionString = _postgres.ConnectionString;
        silo.AddAdoNetGrainStorage(RealStorageName, o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        // The real provider stores with the serializer Acorn gives its own provider name.
        silo.Services.AddKeyedSingleton(RealStorageName, (services, _) => services.GetRequiredKeyedService<IGrainStorageSerializer>(AcornOrleans.StorageName));
        silo.Services.AddKeyedSingleton<IGrainStorage>(
            AcornOrleans.StorageName,
            (services, _) => new FaultInjectingGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(RealStorageName), Faults));
    }
}
