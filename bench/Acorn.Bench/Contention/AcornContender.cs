using Acorn.Contexts;

namespace Acorn.Bench.Contention;

/// <summary>Acorn: the real <see cref="ContextManager"/>, optionally with one all-contexts subscriber reading its change feed.</summary>
internal sealed class AcornContender : IContender, IDisposable
{
    /// <summary>The contender with a subscriber: what one all-contexts subscriber costs a hot context (the feed's ordering monitor, the subscription's channel, its reader).</summary>
    public const string WithFeed = "Acorn + feed";

    private readonly ContextManager _manager;
    private readonly ContextChangeSubscription? _subscription;
    private readonly Task _reader = Task.CompletedTask;
    private readonly Func<ContextState, ContextContent> _increment;
    private long _evaluations;

    public AcornContender(ContextManager manager, bool subscribed = false)
    {
        _manager = manager;

        // Made once, as a caller of a hot path would: a lambda written at the call capturing this would cost every
        // increment a delegate that seed async's increment does not pay.
        _increment = s =>
        {
            Interlocked.Increment(ref _evaluations);
            return Counter.Content(Counter.Of(s) + 1);
        };
        if (subscribed)
        {
            _subscription = manager.Subscribe();
            _reader = Task.Run(async () =>
            {
                await foreach (var change in _subscription.ReadAllAsync())
                {
                    GC.KeepAlive(change);
                }
            });
        }
    }

    public string Name => _subscription is null ? "Acorn" : WithFeed;

    /// <summary>How many times the increments' update functions ran so far: once per increment unless a write failed.</summary>
    public long Evaluations => Interlocked.Read(ref _evaluations);

    public async ValueTask CreateAsync(string id) => await _manager.CreateAsync(id, Counter.Content(0));

    public async ValueTask IncrementAsync(string id) => await _manager.UpdateAsync(id, _increment);

    public async ValueTask<long> ReadAsync(string id) => Counter.Of(await _manager.GetAsync(id));

    public void Dispose()
    {
        _subscription?.Dispose();
        _reader.GetAwaiter().GetResult();
    }
}
