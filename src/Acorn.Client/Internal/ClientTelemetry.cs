using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Acorn.Client.Internal;

/// <summary>
/// The <c>Acorn.Client</c> activity source and meter: one activity and one duration per client operation, around the
/// HTTP spans and metrics HttpClient itself emits (<c>System.Net.Http</c>), named and tagged as OpenTelemetry's
/// semantic conventions do (<c>server.address</c>, <c>server.port</c>, <c>error.type</c>).
/// </summary>
internal static class ClientTelemetry
{
    public const string Name = "Acorn.Client";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>(
        "acorn.client.operation.duration", unit: "s",
        description: "Duration of Acorn client operations, retries and compare-and-set attempts included, by operation and error type.");

    public static readonly Histogram<int> UpdateAttempts = Meter.CreateHistogram<int>(
        "acorn.client.update.attempts", unit: "{attempt}", description: "Compare-and-set attempts per read-modify-write or unconditional delete.");

    public static readonly Counter<long> EventReconnects = Meter.CreateCounter<long>(
        "acorn.client.events.reconnects", unit: "{reconnect}", description: "Event stream connections opened again after a failure or a silent server.");

    public static readonly Counter<long> EventResets = Meter.CreateCounter<long>(
        "acorn.client.events.resets", unit: "{reset}", description: "Resets the server's event streams sent: the subscriber had to re-read.");
}
