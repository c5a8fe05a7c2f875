namespace Acorn.Plugins;

/// <summary>The capability names a manifest may ask for; the host grants a subset and <see cref="IPluginContext.Demand"/> enforces it.</summary>
public static class PluginCapabilities
{
    /// <summary>Read contexts.</summary>
    public const string ContextsRead = "contexts.read";

    /// <summary>Create and update contexts.</summary>
    public const string ContextsWrite = "contexts.write";

    /// <summary>Delete contexts.</summary>
    public const string ContextsDelete = "contexts.delete";

    /// <summary>Query other plugins' status through the host.</summary>
    public const string PluginsQuery = "plugins.query";

    /// <summary>Every capability name the host knows, in ordinal order.</summary>
    public static IReadOnlyList<string> All { get; } = [ContextsDelete, ContextsRead, ContextsWrite, PluginsQuery];

    /// <summary>Whether <paramref name="capability"/> is one of <see cref="All"/> (case-sensitive).</summary>
    /// <param name="capability">The name to check.</param>
    /// <returns><see langword="true"/> for a known name.</returns>
    public static bool IsKnown(string capability) => All.Contains(capability, StringComparer.Ordinal);
}
