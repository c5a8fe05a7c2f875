using Acorn.Plugins;
using Microsoft.Extensions.Logging;

namespace Acorn.TestPlugins.Greeter;

/// <summary>Depends on test.hello; names its dependencies when it starts.</summary>
public sealed partial class GreeterPlugin : IPlugin
{
    /// <inheritdoc/>
    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        Started(context.Logger, string.Join(",", context.Manifest.Dependencies.Keys));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "greeter started after {Dependencies}")]
    private static partial void Started(ILogger logger, string dependencies);
}

/// <summary>A second IPlugin in the same assembly, so the manifest must name its entry type.</summary>
public sealed class SpareGreeterPlugin : IPlugin
{
    /// <inheritdoc/>
    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the manifest names GreeterPlugin; this type must never be chosen");

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
