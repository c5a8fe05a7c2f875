using Acorn.Plugins;
using Acorn.Plugins.Management;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Acorn.Server.Health;

/// <summary>Healthy when no plugin is Failed or Blocked and none leaked a load context; degraded (still serving) otherwise, naming them.</summary>
internal sealed class PluginHealthCheck(PluginManager plugins) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var all = plugins.GetPlugins();
        var broken = all.Where(p => p.Status is PluginStatus.Failed or PluginStatus.Blocked).Select(p => $"{p.Id} ({p.Status})").ToList();
        var leaked = all.Where(p => p.Leak is not null && p.Status != PluginStatus.Failed).Select(p => $"{p.Id} (leaked an unloaded context)");
        broken.AddRange(leaked);
        var active = all.Count(p => p.Status == PluginStatus.Active);
        return Task.FromResult(broken.Count == 0
            ? HealthCheckResult.Healthy($"{active} of {all.Count} plugins active")
            : HealthCheckResult.Degraded($"{active} of {all.Count} plugins active; not loaded or leaking: {string.Join(", ", broken)}"));
    }
}
