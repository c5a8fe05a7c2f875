using System.Net;
using System.Text.Json;
using Acorn.Client.Internal;
using Acorn.Client.Wire;
using Acorn.Plugins;
using Acorn.Plugins.Management;

namespace Acorn.Client;

public sealed partial class AcornClient
{
    /// <summary>Lists the server's plugins and their statuses.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The plugins.</returns>
    /// <exception cref="AcornAccessDeniedException">The server refused the API key.</exception>
    /// <exception cref="Contexts.ContextStoreException">The server could not be reached.</exception>
    public async Task<IReadOnlyList<AcornPlugin>> ListPluginsAsync(CancellationToken cancellationToken = default) =>
        await TracedAsync<IReadOnlyList<AcornPlugin>>("list-plugins", null, async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "plugins");
            var plugins = await CallAsync(
                request, null, RequestKind.Read, static (response, ct) => response.Content.ReadAsync(ClientJson.Default.ItemsBodyAcornPlugin, ct), cancellationToken)
                .ConfigureAwait(false);
            return plugins.Items;
        }).ConfigureAwait(false);

    /// <summary>Reads one plugin's status.</summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The plugin.</returns>
    /// <exception cref="PluginNotFoundException">The server has no such plugin.</exception>
    /// <exception cref="AcornAccessDeniedException">The server refused the API key.</exception>
    /// <exception cref="Contexts.ContextStoreException">The server could not be reached.</exception>
    public Task<AcornPlugin> GetPluginAsync(string pluginId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        return TracedAsync("get-plugin", null, async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, PluginPath(pluginId));
            return await CallAsync(request, null, RequestKind.Read, ReadPluginAsync, cancellationToken).ConfigureAwait(false);
        });
    }

    /// <summary>Loads a plugin after its dependencies.</summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The plugin: <see cref="PluginStatus.Active"/>, or <see cref="PluginStatus.Failed"/> / <see cref="PluginStatus.Blocked"/> with the reason.</returns>
    /// <exception cref="PluginNotFoundException">The server has no such plugin.</exception>
    /// <exception cref="AcornAccessDeniedException">The key is not an admin key.</exception>
    /// <exception cref="Contexts.ContextWriteOutcomeUnknownException">The request may have reached the server, and no answer came back.</exception>
    public Task<AcornPlugin> LoadPluginAsync(string pluginId, CancellationToken cancellationToken = default) =>
        PluginCommandAsync("load-plugin", pluginId, "load", cancellationToken);

    /// <summary>Unloads a plugin once it has saved its state and shut down.</summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <param name="cascade">Unload the active plugins that depend on it first, instead of refusing.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The plugin, <see cref="PluginStatus.Stopped"/>: the server then checks in the background that its code was freed (<see cref="GetPluginAsync"/> shows the outcome).</returns>
    /// <exception cref="PluginNotFoundException">The server has no such plugin.</exception>
    /// <exception cref="PluginHasDependentsException">Active plugins depend on it and <paramref name="cascade"/> is false.</exception>
    /// <exception cref="AcornAccessDeniedException">The key is not an admin key.</exception>
    /// <exception cref="Contexts.ContextWriteOutcomeUnknownException">The request may have reached the server, and no answer came back.</exception>
    public Task<AcornPlugin> UnloadPluginAsync(string pluginId, bool cascade = false, CancellationToken cancellationToken = default) =>
        PluginCommandAsync("unload-plugin", pluginId, cascade ? "unload?cascade=true" : "unload", cancellationToken);

    /// <summary>Unloads and loads a plugin again, carrying its state over.</summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The plugin: <see cref="PluginStatus.Active"/>, or <see cref="PluginStatus.Failed"/> / <see cref="PluginStatus.Blocked"/> with the reason.</returns>
    /// <exception cref="PluginNotFoundException">The server has no such plugin.</exception>
    /// <exception cref="AcornAccessDeniedException">The key is not an admin key.</exception>
    /// <exception cref="Contexts.ContextWriteOutcomeUnknownException">The request may have reached the server, and no answer came back.</exception>
    public Task<AcornPlugin> ReloadPluginAsync(string pluginId, CancellationToken cancellationToken = default) =>
        PluginCommandAsync("reload-plugin", pluginId, "reload", cancellationToken);

    private static string PluginPath(string pluginId) => $"plugins/{Uri.EscapeDataString(pluginId)}";

    private static Task<AcornPlugin> ReadPluginAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.Content.ReadAsync(ClientJson.Default.AcornPlugin, cancellationToken);

    private Task<AcornPlugin> PluginCommandAsync(string operation, string pluginId, string command, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        return TracedAsync(operation, null, async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{PluginPath(pluginId)}/{command}");
            using var response = await SendAsync(request, null, RequestKind.Write, cancellationToken).ConfigureAwait(false);

            // A plugin that ended Failed or Blocked is an answer, as PluginManager returns it: the problem carries it.
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                var problem = await Problem.ReadAsync(response, cancellationToken).ConfigureAwait(false);
                if (problem.Element("plugin") is { } ended)
                {
                    return ended.Deserialize(ClientJson.Default.AcornPlugin)!;
                }

                throw ErrorMapping.ToException(problem, BaseAddress, null, RequestKind.Write);
            }

            return await ReadAsync(response, null, RequestKind.Write, ReadPluginAsync, cancellationToken).ConfigureAwait(false);
        });
    }
}
