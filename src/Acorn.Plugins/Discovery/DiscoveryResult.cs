namespace Acorn.Plugins.Discovery;

/// <summary>What discovery found: the valid plugins and every refused folder.</summary>
/// <param name="Plugins">Plugins with a valid manifest and entry assembly, ordered by id.</param>
/// <param name="Problems">Refused folders and missing roots.</param>
public sealed record class DiscoveryResult(IReadOnlyList<PluginDescriptor> Plugins, IReadOnlyList<DiscoveryProblem> Problems);
