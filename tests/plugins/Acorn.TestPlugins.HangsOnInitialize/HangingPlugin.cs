using System.Text.Json;
using Acorn.Plugins;

namespace Acorn.TestPlugins.HangsOnInitialize;

/// <summary>
/// Never finishes and ignores cancellation, as a plugin stuck on a dead connection would: in initialize by default,
/// in shutdown when its configuration says <c>{"hangIn":"shutdown"}</c>.
/// </summary>
public sealed class HangingPlugin : IPlugin
{
    private static readonly TaskCompletionSource Never = new();
    private bool _hangInShutdown;

    /// <inheritdoc/>
    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        _hangInShutdown = context.Configuration.ValueKind == JsonValueKind.Object
            && context.Configuration.TryGetProperty("hangIn", out var where)
            && where.GetString() == "shutdown";
        return _hangInShutdown ? Task.CompletedTask : Never.Task;
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => _hangInShutdown ? Never.Task : Task.CompletedTask;
}
