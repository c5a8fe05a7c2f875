namespace Acorn.Contexts.Testing;

/// <summary>
/// A store whose paged reads (the manager's background load) return at most <paramref name="pageSize"/> rows, each read at
/// once but handed over only when the test lets it through: a test decides how far the load has come when its reads and
/// writes run, and those writes race pages read before them (the stale rows a load must never install).
/// </summary>
public sealed class GatedPagesStore(IContextStore inner, int pageSize) : DelegatingContextStore(inner), IDisposable
{
    private readonly SemaphoreSlim _pages = new(0);
    private int _pagesRead;

    /// <summary>How many pages were handed over so far.</summary>
    public int PagesRead => Volatile.Read(ref _pagesRead);

    /// <summary>Lets <paramref name="pages"/> more page reads through.</summary>
    public void Release(int pages = 1) => _pages.Release(pages);

    /// <summary>Lets every page read through from now on.</summary>
    public void ReleaseAll() => _pages.Release(int.MaxValue / 2);

    public override async Task<ContextStorePage> ReadContextsAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        var page = await Inner.ReadContextsAsync(after, Math.Min(limit, pageSize), cancellationToken);
        await _pages.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _pagesRead);
        return page;
    }

    public void Dispose() => _pages.Dispose();
}
