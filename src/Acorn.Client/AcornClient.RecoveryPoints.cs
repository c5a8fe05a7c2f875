using Acorn.Client.Internal;
using Acorn.Client.Wire;
using Acorn.Contexts;

namespace Acorn.Client;

public sealed partial class AcornClient
{
    /// <inheritdoc/>
    /// <exception cref="ContextWriteOutcomeUnknownException">The request may have reached the server, and no answer came back.</exception>
    public async ValueTask<RecoveryPoint> CreateRecoveryPointAsync(string id, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        return await TracedAsync("create-recovery-point", id, async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{ContextPath(id)}/recovery-points");
            var point = await CallAsync(
                request, id, RequestKind.Write, static (response, ct) => response.Content.ReadAsync(ClientJson.Default.RecoveryPointBody, ct), cancellationToken)
                .ConfigureAwait(false);
            return point.ToRecoveryPoint();
        }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string id, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        return await TracedAsync<IReadOnlyList<RecoveryPoint>>("list-recovery-points", id, async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{ContextPath(id)}/recovery-points");
            var points = await CallAsync(
                request, id, RequestKind.Read, static (response, ct) => response.Content.ReadAsync(ClientJson.Default.ItemsBodyRecoveryPointBody, ct), cancellationToken)
                .ConfigureAwait(false);
            return [.. points.Items.Select(point => point.ToRecoveryPoint())];
        }).ConfigureAwait(false);
    }
}
