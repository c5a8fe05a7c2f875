using Npgsql;

namespace Acorn.Orleans.Tests.Servers;

/// <summary>Installs the grain storage schema of <c>OrleansPostgresSchema.sql</c> (why it is ours: see that file).</summary>
internal static class OrleansPostgresSchema
{
    public static async Task InstallAsync(string connectionString, CancellationToken cancellationToken)
    {
        var assembly = typeof(OrleansPostgresSchema).Assembly;
        await using var stream = assembly.GetManifestResourceStream("OrleansPostgresSchema.sql")
            ?? throw new InvalidOperationException("the embedded OrleansPostgresSchema.sql is missing");
        using var reader = new StreamReader(stream);
        var sql = await reader.ReadToEndAsync(cancellationToken);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
