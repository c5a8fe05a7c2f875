using Acorn.Server.Contracts;
using Acorn.Server.Dashboard;
using Acorn.Server.Security;

namespace Acorn.Server.Endpoints;

/// <summary><c>GET /dashboard/stats</c>: the last two minutes of per-second figures the dashboard charts.</summary>
internal static class DashboardEndpoints
{
    public static void MapDashboardEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/dashboard/stats", (LiveStats stats) => TypedResults.Ok(new ItemsBody<LiveStatsSample>(stats.Samples)))
            .RequireAuthorization(ApiKeyAuthenticationHandler.ReadPolicy)
            .WithTags("Dashboard")
            .WithSummary("Per-second context operations, p50/p99 latency and turn wait p99 (how long writes queued for their context) over the last two minutes.");
}
