using Acorn.Contexts;

namespace Acorn.Plugins.Management;

/// <summary>What became of one plugin's state in a save or a load: the stored record, or why there is none.</summary>
/// <param name="PluginId">The plugin.</param>
/// <param name="State">After a save, what is now stored; after a load, what was stored (<see langword="null"/> when nothing was).</param>
/// <param name="Problem">Why the save or load failed, or <see langword="null"/> when it succeeded.</param>
public sealed record class PluginStateResult(string PluginId, PluginStateRecord? State, string? Problem)
{
    /// <summary>Whether the save or load succeeded.</summary>
    public bool Succeeded => Problem is null;
}
