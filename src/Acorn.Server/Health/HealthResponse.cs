using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Acorn.Server.Health;

/// <summary>Writes <c>/healthz</c> as JSON: the overall status and each check's status and description.</summary>
/// <remarks>
/// Three routes, after ASP.NET Core's conventions: <c>/healthz</c> runs every check, <c>/healthz/ready</c> the checks
/// tagged <see cref="Ready"/> (can this server take traffic: storage, contexts, cluster, plugins), and
/// <c>/healthz/live</c> none (the process answers: restart it only when this fails). Degraded answers 200, Unhealthy 503.
/// </remarks>
internal static class HealthResponse
{
    /// <summary>The tag of the checks that say whether the server can take traffic.</summary>
    public const string Ready = "ready";

    public static Task WriteAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(
            new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
            },
            ServerJson.Options,
            context.RequestAborted);
}
