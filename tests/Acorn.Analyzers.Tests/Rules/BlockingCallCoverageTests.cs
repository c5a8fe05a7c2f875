using Verify = Acorn.Analyzers.Tests.Verifiers.Verify<Acorn.Analyzers.Rules.LockHoldingAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Acorn.Analyzers.Tests.Rules;

/// <summary>Every blocking wait ACRN002 knows, each under a lock statement, and the zero timeouts that do not block.</summary>
public sealed class BlockingCallCoverageTests
{
    [Theory]
    [InlineData("ManualResetEventSlim e", "e.Wait()")]
    [InlineData("ManualResetEventSlim e", "e.Wait(100)")]
    [InlineData("ManualResetEventSlim e", "e.Wait(CancellationToken.None)")]
    [InlineData("ManualResetEvent e", "e.WaitOne()")]
    [InlineData("AutoResetEvent e", "e.WaitOne(TimeSpan.FromSeconds(1))")]
    [InlineData("EventWaitHandle e", "e.WaitOne(50, false)")]
    [InlineData("Semaphore e", "e.WaitOne()")]
    [InlineData("WaitHandle e", "e.WaitOne()")]
    [InlineData("WaitHandle[] e", "WaitHandle.WaitAll(e)")]
    [InlineData("WaitHandle[] e", "WaitHandle.WaitAny(e, 1000)")]
    [InlineData("WaitHandle e", "WaitHandle.SignalAndWait(e, e)")]
    [InlineData("Thread e", "e.Join()")]
    [InlineData("Thread e", "e.Join(TimeSpan.FromSeconds(1))")]
    [InlineData("System.Collections.Concurrent.BlockingCollection<int> e", "e.Take()")]
    [InlineData("System.Collections.Concurrent.BlockingCollection<int> e", "e.Take(CancellationToken.None)")]
    [InlineData("System.Collections.Concurrent.BlockingCollection<int> e", "e.TryTake(out _, 100)")]
    [InlineData("System.Collections.Concurrent.BlockingCollection<int> e", "e.TryTake(out _, Timeout.InfiniteTimeSpan)")]
    [InlineData("System.Collections.Concurrent.BlockingCollection<int> e", "e.TryTake(out _, -1, CancellationToken.None)")]
    [InlineData("CountdownEvent e", "e.Wait()")]
    [InlineData("CountdownEvent e", "e.Wait(10, CancellationToken.None)")]
    [InlineData("Barrier e", "e.SignalAndWait()")]
    [InlineData("Barrier e", "e.SignalAndWait(CancellationToken.None)")]
    [InlineData("Func<bool> e", "SpinWait.SpinUntil(e)")]
    [InlineData("Func<bool> e", "SpinWait.SpinUntil(e, 100)")]
    [InlineData("Task[] e", "Task.WaitAll(e)")]
    [InlineData("Task[] e", "Task.WaitAll(e, 100)")]
    [InlineData("Task[] e", "Task.WaitAll(e, CancellationToken.None)")]
    [InlineData("List<Task> e", "Task.WaitAll(e)")]
    [InlineData("Task e", "Task.WaitAll(e, e)")]
    [InlineData("Task[] e", "Task.WaitAny(e)")]
    [InlineData("Task[] e", "Task.WaitAny(e, TimeSpan.FromSeconds(1))")]
    [InlineData("Task e", "Task.WaitAny(e, e)")]
    [InlineData("Task e", "e.Wait(TimeSpan.FromSeconds(1))")]
    [InlineData("Task e", "e.Wait(10, CancellationToken.None)")]
    [InlineData("ValueTask e", "e.GetAwaiter().GetResult()")]
    [InlineData("ValueTask<int> e", "e.GetAwaiter().GetResult()")]
    [InlineData("ValueTask<int> e", "e.ConfigureAwait(false).GetAwaiter().GetResult()")]
    [InlineData("ValueTask<int> e", "e.Result")]
    public Task Blocking_call_under_a_lock_is_reported(string parameter, string call) => Verify.AnalyzerAsync($$"""
        class C
        {
            private readonly object _gate = new();
            void M({{parameter}})
            {
                lock (_gate)
                {
                    {{Statement(call)}}{|ACRN002:{{call}}|};
                }
            }
        }
        """);

    [Theory]
    [InlineData("ManualResetEventSlim e", "e.Wait(0)")]
    [InlineData("ManualResetEventSlim e", "e.Wait(TimeSpan.Zero)")]
    [InlineData("WaitHandle e", "e.WaitOne(0)")]
    [InlineData("WaitHandle e", "e.WaitOne(TimeSpan.Zero, false)")]
    [InlineData("WaitHandle[] e", "WaitHandle.WaitAny(e, 0)")]
    [InlineData("System.Collections.Concurrent.BlockingCollection<int> e", "e.TryTake(out _)")]
    [InlineData("System.Collections.Concurrent.BlockingCollection<int> e", "e.TryTake(out _, 0)")]
    [InlineData("System.Collections.Concurrent.BlockingCollection<int> e", "e.TryTake(out _, TimeSpan.Zero)")]
    [InlineData("CountdownEvent e", "e.Wait(0)")]
    [InlineData("Task[] e", "Task.WaitAny(e, 0)")]
    [InlineData("Task e", "e.Wait(0)")]
    [InlineData("Thread e", "e.Join(0)")]
    [InlineData("Func<bool> e", "SpinWait.SpinUntil(e, 0)")]
    [InlineData("Barrier e", "e.SignalAndWait(0)")]
    public Task Zero_timeout_does_not_block(string parameter, string call) => Verify.AnalyzerAsync($$"""
        class C
        {
            private readonly object _gate = new();
            void M({{parameter}})
            {
                lock (_gate)
                {
                    {{Statement(call)}}{{call}};
                }
            }
        }
        """);

    [Fact]
    public Task Blocking_call_is_reported_under_a_monitor_taken_by_try_enter_and_under_a_semaphore() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _semaphore = new(1);
            void M(Thread worker, ManualResetEventSlim done)
            {
                if (Monitor.TryEnter(_gate, 100))
                {
                    {|ACRN002:worker.Join()|};
                    Monitor.Exit(_gate);
                }

                _semaphore.Wait();
                {|ACRN002:done.Wait()|};
                _semaphore.Release();
                done.Wait();
            }
        }
        """);

    /// <summary>A property read is no statement of its own: discard it.</summary>
    private static string Statement(string call) => call.EndsWith(".Result", StringComparison.Ordinal) ? "_ = " : "";
}
