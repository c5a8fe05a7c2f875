using Microsoft.Extensions.Logging;

namespace Acorn.Orleans.Silo;

/// <summary>Log messages of the silo host: event ids 4100-4109.</summary>
internal static partial class SiloLog
{
    [LoggerMessage(4100, LogLevel.Information, "Starting a silo of {Cluster}: silo port {SiloPort}, gateway port {GatewayPort}, {Storage} grain storage")]
    public static partial void Starting(ILogger logger, string cluster, int siloPort, int gatewayPort, GrainStorageKind storage);
}
