using System.Text.Json;
using System.Text.Json.Nodes;
using Acorn.Plugins;
using Microsoft.Extensions.Logging;

namespace Acorn.TestPlugins.Counter;

/// <summary>Counts how often it started, in state the host persists as <c>{"starts":n}</c>.</summary>
/// <remarks>
/// Configuration: <c>"checkpoint": true</c> writes the count through <see cref="IPluginContext.State"/> as soon as it
/// starts; <c>"throwOnExport": true</c> makes every export throw. Both accept the string "true" as well, which is how
/// host configuration (IConfiguration) delivers values.
/// </remarks>
public sealed partial class CounterPlugin : IStatefulPlugin
{
    private int _starts;
    private bool _throwOnExport;

    /// <inheritdoc/>
    public async Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        _starts++;
        _throwOnExport = Flag(context.Configuration, "throwOnExport");

        // What the plugin's own state view holds is what the host imported: the same bytes.
        var stored = await context.State.ReadAsync(cancellationToken).ConfigureAwait(false);
        Started(context.Logger, _starts, stored is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes.Span) : "nothing");
        if (Flag(context.Configuration, "checkpoint"))
        {
            await context.State.WriteAsync(Serialize(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task<ReadOnlyMemory<byte>> ExportStateAsync(CancellationToken cancellationToken) =>
        _throwOnExport
            ? throw new InvalidOperationException("test.counter refuses to export")
            : Task.FromResult<ReadOnlyMemory<byte>>(Serialize());

    /// <inheritdoc/>
    public Task ImportStateAsync(ReadOnlyMemory<byte> state, CancellationToken cancellationToken)
    {
        _starts = JsonNode.Parse(state.Span)!["starts"]!.GetValue<int>();
        return Task.CompletedTask;
    }

    private byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["starts"] = _starts });

    private static bool Flag(JsonElement configuration, string name) =>
        configuration.ValueKind == JsonValueKind.Object
        && configuration.TryGetProperty(name, out var value)
        && (value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.String && value.GetString() == "true"));

    [LoggerMessage(1, LogLevel.Information, "start {Starts}, stored {Stored}")]
    private static partial void Started(ILogger logger, int starts, string stored);
}
