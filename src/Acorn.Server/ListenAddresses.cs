using System.Net;

namespace Acorn.Server;

/// <summary>Keeps the server on loopback unless remote binding was asked for, and warns when that happens without HTTPS.</summary>
internal static partial class ListenAddresses
{
    public static string[] Resolve(string? configured) =>
        string.IsNullOrWhiteSpace(configured)
            ? [AcornServerOptions.DefaultUrl]
            : configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static void Check(IReadOnlyList<string> urls, bool allowRemote, ILogger logger)
    {
        foreach (var url in urls)
        {
            if (IsLoopback(url))
            {
                continue;
            }

            if (!allowRemote)
            {
                throw new InvalidOperationException(
                    $"Refusing to listen on {url}: the server binds to loopback unless {AcornServerOptions.SectionName}:AllowRemoteBinding is true " +
                    "(environment ACORN__SERVER__ALLOWREMOTEBINDING=true). Anyone who reaches it with a key can read data and load plugins.");
            }

            if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                Log.RemoteWithoutHttps(logger, url);
            }
        }
    }

    private static bool IsLoopback(string url)
    {
        // Kestrel accepts wildcards (http://*:80, http://+:80) that Uri cannot parse as a host: those are never loopback.
        if (!Uri.TryCreate(url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal),
                UriKind.Absolute, out var uri))
        {
            return false;
        }

        return string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>Log messages about listen addresses: event ids 4020-4029.</summary>
    private static partial class Log
    {
        [LoggerMessage(4020, LogLevel.Warning, "Listening on {Url} without HTTPS: API keys and data cross the network in clear text")]
        public static partial void RemoteWithoutHttps(ILogger logger, string url);
    }
}
