using System.Buffers.Binary;
using Acorn.Plugins;
using Microsoft.Extensions.Logging;

namespace Acorn.TestPlugins.Hello;

/// <summary>Logs a greeting, counts how often it was initialized (state the host can export and import) and probes its grants.</summary>
public sealed partial class HelloPlugin : IStatefulPlugin
{
    private int _initializations;

    /// <inheritdoc/>
    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        _initializations++;
        context.Demand(PluginCapabilities.ContextsRead);
        var greeting = context.Configuration.ValueKind == System.Text.Json.JsonValueKind.Object
            && context.Configuration.TryGetProperty("greeting", out var g) ? g.GetString() : "Hello";
        Greeted(context.Logger, greeting, context.PluginId, _initializations);

        // Asking beyond the grant must fail; the plugin reports what the host said so the test can check it.
        try
        {
            context.Demand(PluginCapabilities.ContextsWrite);
            WriteAllowed(context.Logger);
        }
        catch (PluginPermissionException ex)
        {
            WriteRefused(context.Logger, ex.Message);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task<ReadOnlyMemory<byte>> ExportStateAsync(CancellationToken cancellationToken)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, _initializations);
        return Task.FromResult<ReadOnlyMemory<byte>>(bytes);
    }

    /// <inheritdoc/>
    public Task ImportStateAsync(ReadOnlyMemory<byte> state, CancellationToken cancellationToken)
    {
        _initializations = BinaryPrimitives.ReadInt32LittleEndian(state.Span);
        return Task.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Information, "{Greeting} from {PluginId}, initialization {Count}")]
    private static partial void Greeted(ILogger logger, string? greeting, string pluginId, int count);

    [LoggerMessage(2, LogLevel.Information, "write allowed")]
    private static partial void WriteAllowed(ILogger logger);

    [LoggerMessage(3, LogLevel.Information, "write refused: {Message}")]
    private static partial void WriteRefused(ILogger logger, string message);
}
