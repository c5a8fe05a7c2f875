namespace Acorn.Contexts;

/// <summary>Settings of a <see cref="ContextAdapter"/>.</summary>
public sealed class ContextAdapterOptions
{
    /// <summary>The id of the default context. Default <c>"default"</c>.</summary>
    public string DefaultContextId { get; set; } = "default";

    /// <summary>How many contexts may be active at once. Default 16.</summary>
    public int MaxActiveContexts { get; set; } = 16;

    /// <summary>Whether activating a context that does not exist creates it (empty). Default <see langword="true"/>.</summary>
    public bool AutoCreate { get; set; } = true;

    /// <summary>Whether <see cref="ContextAdapter.InitializeAsync"/> activates the default context. Default <see langword="true"/>.</summary>
    public bool AutoActivateDefault { get; set; } = true;
}
