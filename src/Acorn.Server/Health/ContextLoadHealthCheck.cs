using System.Globalization;
using Acorn.Contexts;
using Acorn.Contexts.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Acorn.Server.Health;

/// <summary>
/// With the SQLite store: healthy once every context is loaded; degraded (still serving reads and writes) while the load
/// runs ("loading N of M contexts") or when rows were quarantined, naming them.
/// </summary>
internal sealed class ContextLoadHealthCheck(ContextManager manager) : IHealthCheck
{
    private const int NamedAtMost = 10;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = manager.LoadStatus;
        var parts = new List<string>();
        if (!status.IsComplete)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"loading {status.Loaded} of {status.Total} contexts"));
            if (status.Failure is { } failure)
            {
                parts.Add($"the load stopped ({failure}) and is tried again by the next list; reads and writes go to the store meanwhile");
            }
        }

        if (status.Quarantined.Count > 0)
        {
            var named = string.Join(", ", status.Quarantined.Take(NamedAtMost).Select(q => $"'{LogText.Escape(q.Id)}' ({q.Reason})"));
            var more = status.Quarantined.Count > NamedAtMost ? $" and {status.Quarantined.Count - NamedAtMost} more" : "";
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{status.Quarantined.Count} contexts quarantined (stored rows that could not be read; every other context is served): {named}{more}"));
        }

        return Task.FromResult(parts.Count == 0
            ? HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"{manager.Count} contexts loaded"))
            : HealthCheckResult.Degraded(string.Join("; ", parts)));
    }
}
