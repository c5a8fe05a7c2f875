namespace Acorn.Contexts;

/// <summary>Where a context stands in a <see cref="ContextAdapter"/>.</summary>
public enum ContextStatus
{
    /// <summary>The context does not exist (or has expired).</summary>
    NonExistent,

    /// <summary>The context exists but is not active in the adapter.</summary>
    Inactive,

    /// <summary>The context exists and is active in the adapter.</summary>
    Active,
}
