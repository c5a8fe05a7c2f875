namespace Acorn.Plugins.Dependencies;

/// <summary>Why one plugin cannot be loaded.</summary>
/// <param name="Kind">The kind of error.</param>
/// <param name="PluginId">The plugin that cannot be loaded.</param>
/// <param name="Message">A sentence that names who needs what.</param>
/// <param name="Related">The other plugins concerned: the missing or blocking dependency, or the whole cycle in order.</param>
public sealed record class DependencyError(DependencyErrorKind Kind, string PluginId, string Message, IReadOnlyList<string> Related)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Kind}: {Message}";
}
