using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Acorn.Server.Health;

/// <summary>Healthy when the data folder (the SQLite file's) takes a write.</summary>
internal sealed class StorageHealthCheck(ServerPaths paths) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var probe = Path.Combine(paths.Data, $".health-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllTextAsync(probe, "ok", cancellationToken).ConfigureAwait(false);
            File.Delete(probe);
            return HealthCheckResult.Healthy($"{paths.Data} is writable");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy($"{paths.Data} is not writable: {e.Message}", e);
        }
    }
}
