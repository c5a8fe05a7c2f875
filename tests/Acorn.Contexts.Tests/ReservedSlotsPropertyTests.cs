using System.Text;
using Acorn.Contexts.Testing;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Acorn.Contexts.Tests;

/// <summary>
/// Every path that reserves a slot of <see cref="ContextOptions.MaxContexts"/> releases it unless a context holds it
/// (issue 15 item 6). CsCheck generates runs of steps; each step starts a few operations together (valid and invalid
/// creates, updates, compare-and-sets, read-modify-writes whose function throws or returns nothing, deletes, expiry),
/// some cancelled before they start or while they queue, against a store that fails the writes the step schedules
/// (refused, or of unknown outcome before or after storing them). Once the step has settled, the reserved slots must be
/// the contexts in memory, memory must hold what the store holds, and a create must succeed exactly when fewer than
/// <see cref="ContextOptions.MaxContexts"/> contexts are live.
/// </summary>
public sealed class ReservedSlotsPropertyTests
{
    private const int MaxContexts = 3;
    private const int Ids = 6;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Gen<Operation> AnOperation = Gen.Select(
        Gen.Frequency((4, Kind.Create), (2, Kind.Update), (2, Kind.CompareAndSet), (2, Kind.ReadModifyWrite), (3, Kind.Delete), (1, Kind.Expire)),
        Gen.Int[0, Ids - 1],
        Gen.Frequency(
            (6, Twist.None), (2, Twist.ShortTimeToLive), (1, Twist.TimeToLivePastTheCalendar), (1, Twist.InvalidId),
            (1, Twist.InvalidData), (1, Twist.FunctionThrows), (1, Twist.FunctionReturnsNull)),
        Gen.Int[0, 4],
        Gen.Frequency((6, Cancellation.None), (1, Cancellation.Before), (2, Cancellation.WhileQueued)),
        (kind, id, twist, expected, cancellation) => new Operation(kind, id, twist, expected, cancellation));

    private static readonly (int, StoreFault)[] FaultsThatStoreNothing =
        [(6, StoreFault.None), (1, StoreFault.RefusedOnSubmit), (1, StoreFault.Refused), (1, StoreFault.LostBeforeCommit)];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private enum Kind
    {
        Create,
        Update,
        CompareAndSet,
        ReadModifyWrite,
        Delete,

        /// <summary>Moves the clock past the short time to live and sweeps.</summary>
        Expire,
    }

    private enum Twist
    {
        None,
        ShortTimeToLive,

        /// <summary>A time to live the options accept but whose expiry is past the last date a timestamp holds (issue 15's leak).</summary>
        TimeToLivePastTheCalendar,
        InvalidId,
        InvalidData,
        FunctionThrows,
        FunctionReturnsNull,
    }

    private enum Cancellation
    {
        None,
        Before,
        WhileQueued,
    }

    [Fact]
    public async Task ReservedSlots_AreTheLiveContexts_AndACreateSucceedsExactlyWhenThereIsRoom_UnderFailuresThatStoreNothing() =>
        await Runs(FaultsThatStoreNothing).SampleAsync(RunAsync, iter: 300, threads: 1, print: Print);

    [Fact]
    public async Task ReservedSlots_AreTheLiveContexts_AndACreateSucceedsExactlyWhenThereIsRoom_UnderFailuresThatStoreTheWrite() =>
        await Runs([.. FaultsThatStoreNothing, (1, StoreFault.LostAfterCommit)]).SampleAsync(RunAsync, iter: 300, threads: 1, print: Print);

    private static Gen<Step[]> Runs((int, StoreFault)[] faults) => Gen.Select(
            AnOperation.Array[1, 4],
            Gen.Frequency(faults).Array[0, 3],
            (operations, scheduled) => new Step(operations, scheduled))
        .Array[1, 20];

    private static async Task RunAsync(Step[] run)
    {
        var time = new FakeTimeProvider(Start);
        var real = new InMemoryContextStore();
        var store = new ScheduledFaultStore(real);
        var manager = new ContextManager(store, new ContextOptions { MaxContexts = MaxContexts, MaxDataBytes = 64 }, time);
        await manager.InitializeAsync(Ct);
        for (var step = 0; step < run.Length; step++)
        {
            store.Schedule(run[step].Faults);
            await RunStepAsync(manager, time, run[step].Operations);
            store.Schedule([]);
            await CheckAsync(manager, real, time, step);
        }
    }

    /// <summary>Starts the step's operations together, cancels the ones meant to be cancelled while they queue, and awaits all.</summary>
    private static async Task RunStepAsync(ContextManager manager, FakeTimeProvider time, Operation[] operations)
    {
        var sources = operations.Select(_ => new CancellationTokenSource()).ToArray();
        try
        {
            var running = new Task[operations.Length];
            for (var i = 0; i < operations.Length; i++)
            {
                if (operations[i].Cancellation == Cancellation.Before)
                {
                    await sources[i].CancelAsync();
                }

                running[i] = StartAsync(manager, time, operations[i], sources[i].Token);
            }

            for (var i = 0; i < operations.Length; i++)
            {
                if (operations[i].Cancellation == Cancellation.WhileQueued)
                {
                    await sources[i].CancelAsync();
                }
            }

            for (var i = 0; i < operations.Length; i++)
            {
                try
                {
                    await running[i];
                }
                catch (Exception ex) when (IsExpected(operations[i], ex))
                {
                    // A typed refusal or failure: what it left behind is checked once the step settles.
                }
            }
        }
        finally
        {
            foreach (var source in sources)
            {
                source.Dispose();
            }
        }
    }

    private static async Task StartAsync(ContextManager manager, FakeTimeProvider time, Operation operation, CancellationToken cancellationToken)
    {
        var id = operation.Twist == Twist.InvalidId ? "not an id" : $"c{operation.Id}";
        switch (operation.Kind)
        {
            case Kind.Create:
                await manager.CreateAsync(id, Content(operation.Twist, 0), cancellationToken);
                break;
            case Kind.Update:
                await manager.UpdateAsync(id, Content(operation.Twist, 1), cancellationToken: cancellationToken);
                break;
            case Kind.CompareAndSet:
                // 0: the version just read, so that some of them win.
                var expected = operation.Expected == 0 ? (await manager.FindAsync(id, cancellationToken))?.Version ?? 1 : operation.Expected;
                await manager.UpdateAsync(id, Content(operation.Twist, 2), expected, cancellationToken);
                break;
            case Kind.ReadModifyWrite:
                await manager.UpdateAsync(id, state => operation.Twist switch
                {
                    Twist.FunctionThrows => throw new FunctionFailedException(),
                    Twist.FunctionReturnsNull => null!,
                    _ => Content(operation.Twist, state.Data.GetProperty("n").GetInt64() + 1),
                }, cancellationToken);
                break;
            case Kind.Delete:
                await manager.DeleteAsync(id, operation.Expected == 0 ? null : operation.Expected, cancellationToken);
                break;
            case Kind.Expire:
                time.Advance(TimeSpan.FromSeconds(2));
                await manager.RemoveExpiredAsync(cancellationToken);
                break;
        }
    }

    private static ContextContent Content(Twist twist, long n) => twist switch
    {
        Twist.ShortTimeToLive => ContextContent.Parse($$"""{"n":{{n}}}""") with { TimeToLive = TimeSpan.FromSeconds(1) },
        Twist.TimeToLivePastTheCalendar => ContextContent.Parse($$"""{"n":{{n}}}""") with { TimeToLive = TimeSpan.FromDays(365.25 * 9000) },
        Twist.InvalidData => ContextContent.Parse($$"""{"n":{{n}},"s":"{{new string('x', 64)}}"}"""),
        _ => ContextContent.Parse($$"""{"n":{{n}}}"""),
    };

    /// <summary>Typed context errors, cancellations asked for, and what an update function itself did wrong.</summary>
    private static bool IsExpected(Operation operation, Exception error) => error switch
    {
        ContextException => true,
        OperationCanceledException => operation.Cancellation != Cancellation.None,
        FunctionFailedException => operation.Kind == Kind.ReadModifyWrite && operation.Twist == Twist.FunctionThrows,
        InvalidOperationException => operation.Kind == Kind.ReadModifyWrite && operation.Twist == Twist.FunctionReturnsNull,
        _ => false,
    };

    private static async Task CheckAsync(ContextManager manager, InMemoryContextStore real, FakeTimeProvider time, int step)
    {
        // A refusal through each context's turn completes after everything queued before it, the read-back after an
        // unknown outcome included; it writes nothing (unless it finds its context expired, which it then removes).
        for (var i = 0; i < Ids; i++)
        {
            try
            {
                await manager.DeleteAsync($"c{i}", expectedVersion: -1, Ct);
            }
            catch (Exception ex) when (ex is ContextVersionConflictException or ContextNotFoundException)
            {
                // The refusal is the point.
            }
        }

        Assert.True(manager.ReservedCount == manager.Count, $"step {step}: {manager.ReservedCount} slots reserved for {manager.Count} contexts");
        var now = time.GetUtcNow();
        var stored = (await real.ReadContextsAsync(after: null, limit: 1000, Ct)).Contexts;
        var live = stored.Where(s => !s.IsExpiredAt(now)).OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => (s.Id, s.Version)).ToList();
        var listed = (await manager.ListAsync(1000, cancellationToken: Ct)).Items.Select(s => (s.Id, s.Version)).ToList();
        Assert.True(stored.Count == manager.Count, $"step {step}: the store holds {stored.Count} contexts, memory {manager.Count}");
        Assert.Equal(live, listed);

        bool created;
        try
        {
            await manager.CreateAsync("probe", ContextContent.Parse("""{"n":0}"""), Ct);
            created = true;
        }
        catch (ContextLimitExceededException)
        {
            created = false;
        }

        Assert.True(created == live.Count < MaxContexts, $"step {step}: with {live.Count} live contexts under a cap of {MaxContexts}, a create {(created ? "succeeded" : "was refused")}");
        if (created)
        {
            await manager.DeleteAsync("probe", cancellationToken: Ct);
        }

        Assert.True(manager.ReservedCount == manager.Count, $"step {step}, after the probe: {manager.ReservedCount} slots reserved for {manager.Count} contexts");
    }

    private static string Print(Step[] run)
    {
        var text = new StringBuilder();
        for (var step = 0; step < run.Length; step++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n  step {step}: faults [{string.Join(", ", run[step].Faults)}]; ")
                .AppendJoin(" | ", run[step].Operations.Select(o => $"{o.Kind} c{o.Id} {o.Twist} expected {o.Expected} cancel {o.Cancellation}"));
        }

        return text.ToString();
    }

    private sealed record Operation(Kind Kind, int Id, Twist Twist, long Expected, Cancellation Cancellation);

    private sealed record Step(Operation[] Operations, StoreFault[] Faults);

    private sealed class FunctionFailedException : Exception
    {
        public FunctionFailedException()
            : base("injected: the update function failed")
        {
        }
    }
}
