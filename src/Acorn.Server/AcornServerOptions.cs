using Acorn.Server.Security;

namespace Acorn.Server;

/// <summary>Settings of the Acorn server, bound from the configuration section <c>Acorn:Server</c>.</summary>
/// <remarks>
/// The command line sets the common ones: <c>--data</c> (<see cref="DataPath"/>), <c>--plugins</c>
/// (<see cref="PluginsPath"/>) and <c>--urls</c>; environment variables <c>ACORN__SERVER__...</c> set any of them.
/// </remarks>
public sealed class AcornServerOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Acorn:Server";

    /// <summary>The address the server listens on unless <c>--urls</c> says otherwise: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The folder holding the SQLite database and the API key files. Default <c>data</c>, relative to the working directory.</summary>
    public string DataPath { get; set; } = "data";

    /// <summary>The folder whose subfolders hold plugins (each with a <c>plugin.json</c>). Default <c>plugins</c>.</summary>
    public string PluginsPath { get; set; } = "plugins";

    /// <summary>
    /// Allows listening on addresses other than loopback. Off by default: the API holds data and loads code, so exposing
    /// it is a decision, and the log warns when it is taken without HTTPS.
    /// </summary>
    public bool AllowRemoteBinding { get; set; }

    /// <summary>The largest request body accepted, in bytes (413 above it). Default 1 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The deepest JSON nesting accepted in a request body (400 deeper). Default 64.</summary>
    public int MaxJsonDepth { get; set; } = 64;

    /// <summary>The largest page <c>GET /contexts?limit=</c> accepts (400 above it). Default 1,000.</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>The page size when <c>limit</c> is not given. Default 100.</summary>
    public int DefaultPageSize { get; set; } = 100;

    /// <summary>How many recent change events are kept for <c>Last-Event-ID</c> resume. Default 4,096.</summary>
    public int EventReplayWindow { get; set; } = 4096;

    /// <summary>How often an idle event stream sends a comment line, so proxies and clients see it is alive. Default 15 s.</summary>
    public TimeSpan EventHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The OpenTelemetry <c>service.name</c> of this server: the <c>service_name</c> label of <c>target_info</c> in
    /// <c>/metrics</c>, by which a monitoring system tells Acorn from other services. Default <c>acorn</c>.
    /// </summary>
    public string ServiceName { get; set; } = "acorn";

    /// <summary>API keys given in configuration; with none here and no <c>ACORN_API_KEY</c>, the server makes one on first start.</summary>
    public IList<ApiKeyOptions> ApiKeys { get; } = [];
}
