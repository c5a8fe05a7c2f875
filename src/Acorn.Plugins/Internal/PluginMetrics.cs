using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Acorn.Plugins.Internal;

/// <summary>The instruments of meter <c>Acorn.Plugins</c>.</summary>
internal static class PluginMetrics
{
    public const string MeterName = "Acorn.Plugins";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<double> InitializeDuration = Meter.CreateHistogram<double>(
        "acorn.plugins.initialize.duration", unit: "s", description: "Duration of plugin initialization (state import and initialize) by plugin and outcome.");

    public static readonly UpDownCounter<long> PluginCount = Meter.CreateUpDownCounter<long>(
        "acorn.plugins.count", unit: "{plugin}", description: "Registered plugins by status.");

    public static readonly Counter<long> Leaks = Meter.CreateCounter<long>(
        "acorn.plugins.unload.leaked", unit: "{plugin}", description: "Unloaded plugins whose load context was not collected.");

    public static void RecordInitialize(string pluginId, bool succeeded, long startedTimestamp)
    {
        if (InitializeDuration.Enabled)
        {
            InitializeDuration.Record(
                Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds,
                new KeyValuePair<string, object?>("plugin", pluginId),
                new KeyValuePair<string, object?>("outcome", succeeded ? "active" : "failed"));
        }
    }

    public static void StatusChanged(PluginStatus? previous, PluginStatus current)
    {
        if (previous is { } before)
        {
            PluginCount.Add(-1, new KeyValuePair<string, object?>("status", Name(before)));
        }

        PluginCount.Add(1, new KeyValuePair<string, object?>("status", Name(current)));
    }

    private static string Name(PluginStatus status) => status switch
    {
        PluginStatus.Discovered => "discovered",
        PluginStatus.Loading => "loading",
        PluginStatus.Active => "active",
        PluginStatus.Stopping => "stopping",
        PluginStatus.Stopped => "stopped",
        PluginStatus.Unloaded => "unloaded",
        PluginStatus.Failed => "failed",
        PluginStatus.Blocked => "blocked",
        _ => "unknown",
    };
}
