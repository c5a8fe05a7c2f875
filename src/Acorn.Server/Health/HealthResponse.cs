using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Acorn.Server.Health;

/// <summary>Writes <c>/healthz</c> as JSON: the overall status and each check's status and description.</summary>
internal static class HealthResponse
{
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
