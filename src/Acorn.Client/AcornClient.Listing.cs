using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Acorn.Client.Internal;
using Acorn.Client.Wire;
using Acorn.Contexts;

namespace Acorn.Client;

public sealed partial class AcornClient
{
    /// <summary>Lists contexts ordered by id (ordinal), one page at a time, optionally only those whose id starts with <paramref name="prefix"/>.</summary>
    /// <param name="limit">The page size, 1 to 1,000 (the server may allow fewer: <c>Acorn:Server:MaxPageSize</c>).</param>
    /// <param name="after">Return only ids after this one (the previous page's <see cref="ContextPage.Next"/>).</param>
    /// <param name="prefix">Return only ids that start with this; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is outside 1 to 1,000, or above the server's maximum.</exception>
    /// <exception cref="ArgumentException">No context id can start with <paramref name="prefix"/>.</exception>
    /// <exception cref="NotSupportedException">The server ignored <paramref name="prefix"/>: it predates prefix listing.</exception>
    /// <exception cref="ContextStoreException">The server could not be reached or could not read its store.</exception>
    public async ValueTask<ContextPage> ListAsync(int limit = 100, string? after = null, string? prefix = null, CancellationToken cancellationToken = default)
    {
        ContextPage.Validate(limit, prefix);
        var page = await TracedAsync("list", null, () => ReadPageAsync(limit, after, prefix, cancellationToken)).ConfigureAwait(false);
        return new ContextPage([.. page.Items.Select(item => item.ToState())], page.Next);
    }

    /// <summary>Lists every context ordered by id, fetching pages as the enumeration goes.</summary>
    /// <param name="prefix">Only ids that start with this; <see langword="null"/> for all.</param>
    /// <param name="pageSize">How many contexts each request fetches, 1 to 1,000.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The contexts, in id order. Contexts created or deleted meanwhile may or may not appear; the others appear exactly once.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is outside 1 to 1,000.</exception>
    /// <exception cref="NotSupportedException">The server ignored <paramref name="prefix"/>: it predates prefix listing.</exception>
    /// <exception cref="ContextStoreException">The server could not be reached or could not read its store.</exception>
    public async IAsyncEnumerable<ContextState> ListAllAsync(
        string? prefix = null, int pageSize = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, ContextPage.MaxLimit);
        string? after = null;
        do
        {
            var page = await ListAsync(pageSize, after, prefix, cancellationToken).ConfigureAwait(false);
            foreach (var state in page.Items)
            {
                yield return state;
            }

            after = page.Next;
        }
        while (after is not null);
    }

    private async Task<PageBody> ReadPageAsync(int limit, string? after, string? prefix, CancellationToken cancellationToken)
    {
        var query = new StringBuilder("contexts?limit=").Append(limit.ToString(CultureInfo.InvariantCulture));
        if (after is not null)
        {
            query.Append("&after=").Append(Uri.EscapeDataString(after));
        }

        if (prefix is not null)
        {
            query.Append("&prefix=").Append(Uri.EscapeDataString(prefix));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, query.ToString());
        var page = await CallAsync(
            request, null, RequestKind.Read, static (response, ct) => response.Content.ReadAsync(ClientJson.Default.PageBody, ct), cancellationToken)
            .ConfigureAwait(false);
        if (prefix is not null && page.Items.FirstOrDefault(item => !item.Id.StartsWith(prefix, StringComparison.Ordinal)) is { } stray)
        {
            throw new NotSupportedException(
                $"The Acorn server at {BaseAddress} ignored prefix '{prefix}' (it listed '{stray.Id}'): it predates listing by prefix. Filter the full listing instead.");
        }

        return page;
    }
}
