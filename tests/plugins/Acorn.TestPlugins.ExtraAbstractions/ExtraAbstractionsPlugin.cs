using Acorn.Plugins;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Acorn.TestPlugins.ExtraAbstractions;

/// <summary>Builds a chat message with Microsoft.Extensions.AI.Abstractions from its own folder and reports where that assembly came from.</summary>
public sealed partial class ExtraAbstractionsPlugin : IPlugin
{
    /// <inheritdoc/>
    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        var message = new ChatMessage(ChatRole.User, "hello");
        var library = typeof(ChatMessage).Assembly;
        var loadContext = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(library)?.Name;
        Built(context.Logger, message.Role.Value, message.Text, library.GetName().Name!, loadContext);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "{Role} said {Text} through {Library} from {LoadContext}")]
    private static partial void Built(ILogger logger, string role, string text, string library, string? loadContext);
}
