using Acorn.Plugins;
using Acorn.Plugins.Management;
using Acorn.Server.Contracts;
using Acorn.Server.Security;

namespace Acorn.Server.Endpoints;

/// <summary><c>/plugins</c>: statuses, and load, unload and reload mapped onto <see cref="PluginManager"/>.</summary>
internal static class PluginEndpoints
{
    public static void MapPluginEndpoints(this IEndpointRouteBuilder routes)
    {
        var read = routes.MapGroup("/plugins").WithTags("Plugins").RequireAuthorization(ApiKeyAuthenticationHandler.ReadPolicy);
        var write = routes.MapGroup("/plugins/{id}").WithTags("Plugins").RequireAuthorization(ApiKeyAuthenticationHandler.AdminPolicy);

        read.MapGet("/", (PluginManager plugins) => TypedResults.Ok(new ItemsBody<PluginBody>([.. plugins.GetPlugins().Select(PluginBody.From)])))
            .WithSummary("Lists the registered plugins and their statuses.");
        read.MapGet("/{id}", (string id, PluginManager plugins) => TypedResults.Ok(PluginBody.From(plugins.GetPlugin(id))))
            .WithSummary("Reads one plugin's status.")
            .ProducesProblem(404);
        write.MapPost("/load", async (string id, PluginManager plugins, CancellationToken cancellationToken) =>
                Outcome(await plugins.LoadAsync(id, cancellationToken).ConfigureAwait(false), PluginStatus.Active))
            .WithSummary("Loads the plugin after its dependencies; 409 when it ends Failed or Blocked.")
            .Produces<PluginBody>().ProducesProblem(404).ProducesProblem(409);
        write.MapPost("/unload", async (string id, bool? cascade, PluginManager plugins, CancellationToken cancellationToken) =>
            {
                var plugin = await plugins.UnloadAsync(id, cascade ?? false, cancellationToken).ConfigureAwait(false);
                return TypedResults.Accepted($"/plugins/{Uri.EscapeDataString(plugin.Id)}", PluginBody.From(plugin));
            })
            .WithSummary("Shuts the plugin down and releases its load context (its active dependents first with ?cascade=true; otherwise 409 naming them).")
            .WithDescription("Answers 202 with the status once the plugin is shut down: stopped while the check that the runtime collected its load context runs "
                + "in the background. GET /plugins/{id} then shows the outcome: unloaded, or failed with the leak as its reason.")
            .Produces<PluginBody>(StatusCodes.Status202Accepted).ProducesProblem(404).ProducesProblem(409);
        write.MapPost("/reload", async (string id, PluginManager plugins, CancellationToken cancellationToken) =>
                Outcome(await plugins.ReloadAsync(id, cancellationToken).ConfigureAwait(false), PluginStatus.Active))
            .WithSummary("Unloads and loads the plugin again, carrying its state over.")
            .Produces<PluginBody>().ProducesProblem(404).ProducesProblem(409);
    }

    private static IResult Outcome(PluginInfo plugin, PluginStatus wanted) =>
        plugin.Status == wanted
            ? TypedResults.Ok(PluginBody.From(plugin))
            : Problems.Respond(
                StatusCodes.Status409Conflict,
                $"Plugin ended {plugin.Status}",
                $"Plugin '{plugin.Id}' ended {plugin.Status}, not {wanted}: {plugin.Reason ?? "no reason given"}.",
                new Dictionary<string, object?> { ["pluginId"] = plugin.Id, ["plugin"] = PluginBody.From(plugin) });
}
