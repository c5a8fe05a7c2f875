namespace Acorn.Contexts.Testing;

/// <summary>Reads a whole store the way <see cref="ContextManager"/> loads it: page by page in id order.</summary>
public static class ContextStoreReading
{
    /// <summary>Every readable context, in id order; unreadable rows are skipped (see <see cref="ReadUnreadableAsync"/>).</summary>
    public static async Task<List<ContextState>> ReadAllAsync(this IContextStore store, CancellationToken cancellationToken, int pageSize = 7)
    {
        var all = new List<ContextState>();
        await foreach (var page in PagesAsync(store, pageSize, cancellationToken))
        {
            all.AddRange(page.Contexts);
        }

        return all;
    }

    /// <summary>Every row the store cannot read, in id order.</summary>
    public static async Task<List<UnreadableContext>> ReadUnreadableAsync(this IContextStore store, CancellationToken cancellationToken, int pageSize = 7)
    {
        var all = new List<UnreadableContext>();
        await foreach (var page in PagesAsync(store, pageSize, cancellationToken))
        {
            all.AddRange(page.Unreadable);
        }

        return all;
    }

    private static async IAsyncEnumerable<ContextStorePage> PagesAsync(
        IContextStore store, int pageSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        do
        {
            var page = await store.ReadContextsAsync(after, pageSize, cancellationToken);
            yield return page;
            after = page.Next;
        }
        while (after is not null);
    }
}
