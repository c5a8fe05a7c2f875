namespace Acorn.Contexts;

/// <summary>One page of contexts ordered by id.</summary>
/// <param name="Items">The contexts on this page.</param>
/// <param name="Next">The id to pass as <c>after</c> for the next page, or <see langword="null"/> on the last page.</param>
public sealed record ContextPage(IReadOnlyList<ContextState> Items, string? Next)
{
    /// <summary>The largest page a listing returns.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Throws when a listing's page size or prefix is out of bounds: the checks every <see cref="IContextManager"/> makes.</summary>
    /// <param name="limit">The page size, 1 to <see cref="MaxLimit"/>.</param>
    /// <param name="prefix">The id prefix, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is outside 1 to <see cref="MaxLimit"/>.</exception>
    /// <exception cref="ArgumentException">No context id can start with <paramref name="prefix"/>.</exception>
    public static void Validate(int limit, string? prefix)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        ContextId.ValidatePrefix(prefix);
    }
}
