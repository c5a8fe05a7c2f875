using System.Text.Json;
using Acorn.Plugins;
using Microsoft.Extensions.Logging;

namespace Acorn.TestPlugins.ContextWriter;

/// <summary>Creates, updates, patches and reads a context through the host, then tries a delete it never asked for.</summary>
public sealed partial class ContextWriterPlugin : IPlugin
{
    /// <inheritdoc/>
    public async Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        var id = "note-" + context.PluginId;
        var created = await context.Contexts.CreateAsync(id, Json($$"""{"by":"{{context.PluginId}}"}"""), cancellationToken);
        var updated = await context.Contexts.UpdateAsync(id, Json("""{"n":2}"""), created.Version, cancellationToken);
        await context.Contexts.PatchAsync(
            id, PluginContextPatch.Parse(PluginContextPatchKind.MergePatch, """{"patched":true}"""), updated.Version, cancellationToken);
        var found = await context.Contexts.FindAsync(id, cancellationToken);
        Found(context.Logger, found!.Version, found.Data.GetRawText());
        try
        {
            await context.Contexts.DeleteAsync(id, null, cancellationToken);
        }
        catch (PluginPermissionException ex)
        {
            Refused(context.Logger, ex.Capability);
        }
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    [LoggerMessage(1, LogLevel.Information, "found version {Version}: {Data}")]
    private static partial void Found(ILogger logger, long version, string data);

    [LoggerMessage(2, LogLevel.Information, "delete refused: {Capability}")]
    private static partial void Refused(ILogger logger, string capability);
}
