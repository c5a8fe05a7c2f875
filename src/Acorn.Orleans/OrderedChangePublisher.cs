using Acorn.Contexts;

namespace Acorn.Orleans;

/// <summary>
/// Publishes the writes one client made to its change feed in each context's write order, although the grain's
/// answers to concurrent writes reach their callers in any order.
/// </summary>
/// <remarks>
/// <para>
/// Each answer carries the context grain's change number. A change is published when it is the next number after the
/// last one published. A gap before it is another client's write: without the cluster's change stream this client
/// cannot see it, so it stops waiting once none of its own writes to that context is unanswered; with the stream it
/// waits until the stream has delivered that change or a later one (the stream carries each context's changes in
/// order, this client's own included, so anything still missing then is lost).
/// </para>
/// <para>
/// Lanes at rest are kept for up to 4,096 contexts; forgetting one only delays its next non-consecutive change.
/// </para>
/// </remarks>
/// <param name="feed">Where changes go.</param>
/// <param name="time">The clock for the timestamps of removals.</param>
internal sealed class OrderedChangePublisher(ContextChangeFeed feed, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private long _sequence;
    private volatile bool _streamed;

    /// <summary>From now on the cluster's change stream delivers every change (see <see cref="OfferFromCluster"/>).</summary>
    public void UseClusterStream() => _streamed = true;

    /// <summary>Notes a write to <paramref name="id"/> about to be sent; pass the ticket to <see cref="Offer"/> and <see cref="End"/>.</summary>
    public Ticket Begin(string id)
    {
        lock (_gate)
        {
            if (!_lanes.TryGetValue(id, out var lane))
            {
                _lanes[id] = lane = new Lane();
            }

            lane.Unanswered++;
            return new Ticket(id, lane);
        }
    }

    /// <summary>This client's write was persisted: publish it, or hold it until the changes before it are published.</summary>
    public void Offer(Ticket ticket, ContextChangeKind kind, ContextWriteResult result, ContextState state)
    {
        lock (_gate)
        {
            ticket.Answered = true;
            ticket.Lane.Unanswered--;
            Hold(ticket.Lane, result.Change, kind, state);
            Drain(ticket.Id, ticket.Lane);
        }
    }

    /// <summary>
    /// A write arrived on the cluster's change stream: another client's, or this client's own echo, which is dropped
    /// because its number is not above the last published.
    /// </summary>
    public void OfferFromCluster(ContextChangeEvent change)
    {
        var state = change.Record.ToState();
        lock (_gate)
        {
            if (!_lanes.TryGetValue(state.Id, out var lane))
            {
                _lanes[state.Id] = lane = new Lane();
            }

            lane.StreamedUpTo = Math.Max(lane.StreamedUpTo, change.Change);
            Hold(lane, change.Change, change.ChangeKind, state);
            Drain(state.Id, lane);
        }
    }

    private static void Hold(Lane lane, long change, ContextChangeKind kind, ContextState state)
    {
        if (change > lane.LastPublished)
        {
            lane.Waiting[change] = (kind, state);
        }
    }

    /// <summary>The write finished (written or not): a failed write leaves no gap to wait for.</summary>
    public void End(Ticket ticket)
    {
        lock (_gate)
        {
            if (!ticket.Answered)
            {
                ticket.Answered = true;
                ticket.Lane.Unanswered--;
            }

            Drain(ticket.Id, ticket.Lane);
        }
    }

    private void Drain(string id, Lane lane)
    {
        while (lane.Waiting.Count > 0)
        {
            var (change, (kind, state)) = (lane.Waiting.Keys[0], lane.Waiting.Values[0]);
            var gapResolved = _streamed ? change <= lane.StreamedUpTo : lane.Unanswered == 0;
            if (change != lane.LastPublished + 1 && !gapResolved)
            {
                return;
            }

            lane.Waiting.RemoveAt(0);
            lane.LastPublished = change;
            var removed = kind is ContextChangeKind.Deleted or ContextChangeKind.Expired;
            feed.Publish(new ContextChange(
                ++_sequence, kind, id, state.Version, removed ? null : state, removed ? time.GetUtcNow() : state.UpdatedAt));
        }

        if (lane.Unanswered == 0 && _lanes.Count > 4096)
        {
            // Bounded memory: a lane forgotten at rest only loses the knowledge of its last number, which costs nothing
            // while no write is in flight.
            _lanes.Remove(id);
        }
    }

    /// <summary>One write in flight.</summary>
    internal sealed class Ticket(string id, Lane lane)
    {
        public string Id { get; } = id;

        public Lane Lane { get; } = lane;

        public bool Answered { get; set; }
    }

    /// <summary>One context's publishing state.</summary>
    internal sealed class Lane
    {
        public long LastPublished { get; set; }

        public int Unanswered { get; set; }

        public long StreamedUpTo { get; set; }

        public SortedList<long, (ContextChangeKind Kind, ContextState State)> Waiting { get; } = [];
    }
}
