namespace Acorn.Plugins.Dependencies;

/// <summary>The dependency graph's verdict: which plugins can load, in what order, and why the others cannot.</summary>
/// <param name="LoadOrder">Loadable plugins, each after all of its dependencies (ties in id order).</param>
/// <param name="Errors">One or more errors for each plugin that cannot load.</param>
public sealed record class DependencyResolution(IReadOnlyList<PluginDescriptor> LoadOrder, IReadOnlyList<DependencyError> Errors)
{
    /// <summary>The errors of one plugin.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <returns>Its errors; empty if it can load.</returns>
    public IReadOnlyList<DependencyError> ErrorsFor(string pluginId) => Errors.Where(e => e.PluginId == pluginId).ToList();
}
