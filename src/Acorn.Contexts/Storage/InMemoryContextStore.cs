using System.Runtime.InteropServices;

namespace Acorn.Contexts;

/// <summary>A context store that keeps everything in process memory: for tests and <c>Durability.None</c>.</summary>
/// <remarks>
/// Writes are version-checked exactly like a durable store's, so code tested against this store behaves the same on
/// SQLite. Nothing survives the process.
/// </remarks>
public sealed class InMemoryContextStore : IContextStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ContextState> _contexts = new(StringComparer.Ordinal);

    // The same ids in order, for paged reads (a load): sorted again by the first page read after a create or delete, so
    // writes never pay for an order only a load needs.
    private string[]? _sortedIds;
    private readonly Dictionary<string, List<RecoveryPoint>> _recoveryPoints = new(StringComparer.Ordinal);
    private long _lastRecoveryPointId;
    private long _highestDeletedVersion;

    /// <inheritdoc />
    public Task<ContextStoreSummary> ReadSummaryAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(new ContextStoreSummary(_contexts.Count, _lastRecoveryPointId, _highestDeletedVersion));
        }
    }

    /// <inheritdoc />
    public Task<ContextStorePage> ReadContextsAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var ids = _sortedIds ??= [.. _contexts.Keys.Order(StringComparer.Ordinal)];
            var start = 0;
            if (after is not null)
            {
                var at = Array.BinarySearch(ids, after, StringComparer.Ordinal);
                start = at >= 0 ? at + 1 : ~at;
            }

            var end = Math.Min(ids.Length, start + limit);
            var page = new List<ContextState>(end - start);
            for (var i = start; i < end; i++)
            {
                page.Add(_contexts[ids[i]]);
            }

            return Task.FromResult(new ContextStorePage(page, [], end - start == limit ? ids[end - 1] : null));
        }
    }

    /// <inheritdoc />
    public Task<ContextState?> ReadContextAsync(string contextId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_contexts.GetValueOrDefault(contextId));
        }
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        lock (_gate)
        {
            var actual = _contexts.TryGetValue(write.ContextId, out var current) ? current.Version : 0;
            if (actual != write.ExpectedVersion)
            {
                return ValueTask.FromException(
                    new ContextVersionConflictException(write.ContextId, write.ExpectedVersion, actual));
            }

            if (write is RestoreContextWrite restore && !HasRecoveryPoint(restore.ContextId, restore.RecoveryPointId))
            {
                return ValueTask.FromException(new RecoveryPointNotFoundException(restore.ContextId, restore.RecoveryPointId));
            }

            Apply(write);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Under the gate: whether the context has the recovery point.</summary>
    /// <remarks>
    /// A method of its own: inline, the lambda captured <see cref="WriteAsync"/>'s pattern variable, and the compiler made
    /// the closure where that variable's scope begins, so every write allocated one, restore or not.
    /// </remarks>
    private bool HasRecoveryPoint(string contextId, long recoveryPointId) =>
        _recoveryPoints.TryGetValue(contextId, out var points) && points.Exists(p => p.Id == recoveryPointId);

    /// <inheritdoc />
    /// <remarks>Writes apply at once, so the write is durable (to this store's standard) when it is accepted.</remarks>
    public ValueTask<Task> SubmitAsync(ContextWrite write, CancellationToken cancellationToken) =>
        new(WriteAsync(write, cancellationToken).AsTask());

    /// <inheritdoc />
    public Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string contextId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<RecoveryPoint> points = _recoveryPoints.TryGetValue(contextId, out var list)
                ? [.. list.OrderByDescending(p => p.Id)]
                : [];
            return Task.FromResult(points);
        }
    }

    /// <inheritdoc />
    public Task<RecoveryPoint?> GetRecoveryPointAsync(string contextId, long recoveryPointId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var point = _recoveryPoints.TryGetValue(contextId, out var list)
                ? list.Find(p => p.Id == recoveryPointId)
                : null;
            return Task.FromResult(point);
        }
    }

    private void Apply(ContextWrite write)
    {
        switch (write)
        {
            case PutContextWrite put:
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_contexts, put.ContextId, out var existed);
                slot = put.State;
                if (!existed)
                {
                    _sortedIds = null;
                }

                break;
            case DeleteContextWrite:
                _highestDeletedVersion = Math.Max(_highestDeletedVersion, write.ExpectedVersion);
                _contexts.Remove(write.ContextId);
                _sortedIds = null;
                _recoveryPoints.Remove(write.ContextId);
                break;
            case AddRecoveryPointWrite add:
                AddRecoveryPoint(add);
                break;
            default:
                throw new ArgumentException($"Unknown write type {write.GetType().Name}.", nameof(write));
        }
    }

    private void AddRecoveryPoint(AddRecoveryPointWrite add)
    {
        if (!_recoveryPoints.TryGetValue(add.ContextId, out var list))
        {
            _recoveryPoints[add.ContextId] = list = [];
        }

        list.Add(add.Point);
        _lastRecoveryPointId = Math.Max(_lastRecoveryPointId, add.Point.Id);
        list.Sort((a, b) => a.Id.CompareTo(b.Id));
        if (list.Count > add.MaxPerContext)
        {
            list.RemoveRange(0, list.Count - add.MaxPerContext);
        }
    }
}
