using System.Text.Json;

namespace Acorn.Plugins.Management;

/// <summary>How the plugin manager runs plugins: timeouts, parallelism, grants and configuration.</summary>
public sealed class PluginManagerOptions
{
    /// <summary>The key in <see cref="CapabilityGrants"/> whose grants apply to every plugin.</summary>
    public const string AllPlugins = "*";

    /// <summary>
    /// The host configuration section that <c>AddAcornPlugins</c> reads: <c>Roots</c> (a list), <c>Grants:&lt;pluginId&gt;</c>
    /// (a list of capabilities, or one comma-separated value), <c>Config:&lt;pluginId&gt;</c> (any section, given to the
    /// plugin as JSON whose values are strings), <c>TrustedSha256:&lt;pluginId&gt;</c> and <c>RequireTrustedHash</c> (true or false).
    /// </summary>
    public const string ConfigurationSection = "Acorn:Plugins";

    /// <summary>Folders whose immediate subfolders hold plugins; the hosted service discovers and loads them at start.</summary>
    public IList<string> Roots { get; } = [];

    /// <summary>The host API version that manifests' <c>hostApi</c> ranges are checked against.</summary>
    public string HostApiVersion { get; set; } = "1.0.0";

    /// <summary>How long a plugin's state import, and then its initialize, may each take before it is marked Failed. Default 30 seconds.</summary>
    public TimeSpan InitializeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a plugin's state export, and then its shutdown, may each take. Default 10 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many plugins may initialize at once. Default: the processor count.</summary>
    public int MaxParallelLoads { get; set; } = Environment.ProcessorCount;

    /// <summary>How many garbage collections to try before an unloaded plugin's context counts as leaked. Default 10.</summary>
    public int UnloadGcCycles { get; set; } = 10;

    /// <summary>
    /// The SHA-256 (hex, any case) of each plugin's whole code that the host trusts, by plugin id: one hash over every
    /// <c>.dll</c>, <c>.so</c> and <c>.dylib</c> in the plugin folder and its subfolders, computed as
    /// <see cref="Loading.PluginCode"/> describes (<see cref="Loading.PluginCode.ReadAsync"/>, or
    /// <c>dotnet run --project src/Acorn.Server -- plugin-hash &lt;folder&gt;</c>, prints it).
    /// </summary>
    /// <remarks>
    /// A plugin listed here whose code hashes differently (its entry assembly or any private dependency changed, added or
    /// removed) is refused as Failed, with a reason naming the plugin and the files. The bytes that were hashed are the
    /// bytes loaded, so a file cannot be swapped in between, and the plugin's context refuses any assembly that was not
    /// hashed. Plugins not listed load from their files unchecked unless <see cref="RequireTrustedHash"/> is set.
    /// </remarks>
    public IDictionary<string, string> TrustedSha256 { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether a plugin missing from <see cref="TrustedSha256"/> is refused. Default false.</summary>
    public bool RequireTrustedHash { get; set; }

    /// <summary>Capabilities the host grants, by plugin id (or <see cref="AllPlugins"/>); a plugin gets only those it also asks for.</summary>
    public IDictionary<string, IReadOnlyList<string>> CapabilityGrants { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>Each plugin's configuration section, by plugin id.</summary>
    public IDictionary<string, JsonElement> Configuration { get; } = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
}
