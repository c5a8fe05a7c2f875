using Acorn.Plugins;
using Microsoft.Extensions.Logging;
using NuGet.Versioning;

namespace Acorn.TestPlugins.VersioningV6;

/// <summary>Parses a version with its private copy of NuGet.Versioning and reports which copy it got.</summary>
public sealed partial class VersioningPlugin : IPlugin
{
    /// <inheritdoc/>
    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        var parsed = NuGetVersion.Parse("1.2.3-beta");
        var library = typeof(NuGetVersion).Assembly.GetName().Version!;
        Used(context.Logger, library.Major, parsed.Release);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "NuGet.Versioning {Major} parsed release {Release}")]
    private static partial void Used(ILogger logger, int major, string release);
}
