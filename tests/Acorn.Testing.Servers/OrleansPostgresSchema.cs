using Npgsql;

namespace Acorn.Testing.Servers;

/// <summary>Installs the grain storage schema of <c>src/Acorn.Orleans/Sql/OrleansPostgresPersistence.sql</c> (why it is ours: see that file).</summary>
public static class OrleansPostgresSchema
{
    /// <summary>Creates the grain state table and Orleans' query table in the database of <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string of an empty database.</param>
    /// <param name="cancellationToken">Stops the installation.</param>
    /// <returns>A task that completes when the schema is installed.</returns>
    public static async Task InstallAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var assembly = typeof(OrleansPostgresSchema).Assembly;
        await using var stream = assembly.GetManifestResourceStream("OrleansPostgresPersistence.sql")
            ?? throw new InvalidOperationException("the embedded OrleansPostgresPersistence.sql is missing");
        using var reader = new StreamReader(stream);
        var sql = await reader.ReadToEndAsync(cancellationToken);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
