using Acorn.Analyzers.Tests.Verifiers;
using Verify = Acorn.Analyzers.Tests.Verifiers.Verify<Acorn.Analyzers.Rules.LockHoldingAnalyzer, Acorn.Analyzers.CodeFixes.Rules.AwaitInsteadOfBlockingFixer>;

namespace Acorn.Analyzers.Tests.Rules;

public sealed class SyncOverAsyncTests
{
    [Theory]
    [InlineData("Task<int> task", "return {|ACRN006:task.Result|};", "return await task;")]
    [InlineData("Task<int> task", "return {|ACRN006:task.GetAwaiter().GetResult()|};", "return await task;")]
    [InlineData("ValueTask<int> task", "return {|ACRN006:task.Result|};", "return await task;")]
    [InlineData("ValueTask<int> task", "return {|ACRN006:task.GetAwaiter().GetResult()|};", "return await task;")]
    [InlineData("Task<int> task", "return {|ACRN006:task.Result|} + 1;", "return await task + 1;")]
    [InlineData("Task<int> task", "return {|ACRN006:task.Result|}.GetHashCode();", "return (await task).GetHashCode();")]
    public Task Blocking_on_a_task_in_an_async_method_becomes_an_await(string parameter, string statement, string fixedStatement) => Verify.CodeFixAsync($$"""
        class C
        {
            async Task<int> M({{parameter}})
            {
                await Task.Yield();
                {{statement}}
            }
        }
        """, $$"""
        class C
        {
            async Task<int> M({{parameter}})
            {
                await Task.Yield();
                {{fixedStatement}}
            }
        }
        """);

    [Fact]
    public Task Wait_and_wait_all_become_awaits_in_one_fix_all() => Verify.CodeFixAsync("""
        class C
        {
            async Task M(Task a, Task b, ValueTask c)
            {
                await Task.Yield();
                {|ACRN006:a.Wait()|};
                {|ACRN006:Task.WaitAll(a, b)|};
                {|ACRN006:c.GetAwaiter().GetResult()|};
            }
        }
        """, """
        class C
        {
            async Task M(Task a, Task b, ValueTask c)
            {
                await Task.Yield();
                await a;
                await Task.WhenAll(a, b);
                await c;
            }
        }
        """);

    [Fact]
    public Task Async_lambda_and_async_local_function_are_async_bodies() => Verify.CodeFixAsync("""
        class C
        {
            Func<Task<int>> M(Task<int> task)
            {
                return async () =>
                {
                    await Task.Yield();
                    return {|ACRN006:task.Result|} + Local() + await Inner();

                    async Task<int> Inner() => {|ACRN006:task.Result|};
                    int Local() => task.Result;
                };
            }
        }
        """, """
        class C
        {
            Func<Task<int>> M(Task<int> task)
            {
                return async () =>
                {
                    await Task.Yield();
                    return await task + Local() + await Inner();

                    async Task<int> Inner() => await task;
                    int Local() => task.Result;
                };
            }
        }
        """);

    [Fact]
    public Task Overloads_with_a_timeout_or_token_and_wait_any_have_no_fix() => Verify.NoCodeFixAsync("""
        class C
        {
            async Task<int> M(Task<int> a, Task<int> b, CancellationToken token)
            {
                await Task.Yield();
                {|ACRN006:a.Wait(token)|};
                {|ACRN006:Task.WaitAll(new Task[] { a, b }, 100)|};
                a = Task.FromResult(1);
                b = Task.FromResult(2);
                var index = {|ACRN006:Task.WaitAny(a, b)|};
                return {|ACRN006:b.ConfigureAwait(false).GetAwaiter().GetResult()|} + index;
            }
        }
        """);

    [Fact]
    public Task Synchronous_methods_sync_lambdas_and_task_returning_methods_without_async_are_out_of_scope() => Verify.AnalyzerAsync("""
        class C
        {
            int Sync(Task<int> task) => task.Result;
            Task<int> NotAsync(Task<int> task) => Task.FromResult(task.Result);
            async Task<int> WithSyncLambda(Task<int> task)
            {
                await Task.Yield();
                Func<int> read = () => task.Result;
                return read();
            }
        }
        """);

    [Fact]
    public Task Under_a_lock_it_is_ACRN002_only() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            async Task<int> M(Task<int> task)
            {
                await _semaphore.WaitAsync();
                try
                {
                    return {|ACRN002:task.Result|};
                }
                finally
                {
                    _semaphore.Release();
                }
            }
        }
        """);

    [Fact]
    public Task Task_already_awaited_or_awaited_with_when_all_is_complete() => Verify.AnalyzerAsync("""
        class C
        {
            async Task<int> M(Task<int> a, Task<int> b, Task<int> c)
            {
                await a;
                await Task.WhenAll(b, c).ConfigureAwait(false);
                return a.Result + b.Result + c.GetAwaiter().GetResult();
            }
        }
        """);

    [Fact]
    public Task Task_awaited_on_one_path_only_or_replaced_after_the_await_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            async Task<int> M(Task<int> a, bool wait, Func<Task<int>> start)
            {
                if (wait)
                {
                    await a;
                }

                var first = {|ACRN006:a.Result|};
                await a;
                a = start();
                return first + {|ACRN006:a.Result|};
            }
        }
        """);

    [Fact]
    public Task Winner_of_when_any_and_a_task_equal_to_it_are_complete() => Verify.AnalyzerAsync("""
        class C
        {
            async Task<int> M(Task<int> work, Task<int> other, Task timeout)
            {
                var winner = await Task.WhenAny(work, other);
                var first = winner.Result;
                if (winner == work)
                {
                    return first + work.Result;
                }

                if (await Task.WhenAny(work, timeout) == work)
                {
                    return work.Result;
                }

                return {|ACRN006:other.Result|};
            }
        }
        """);

    [Fact]
    public Task Completion_checks_make_the_task_complete_on_their_true_branch() => Verify.AnalyzerAsync("""
        class C
        {
            async ValueTask<int> M(ValueTask<int> fast, Task<int> slow)
            {
                if (fast.IsCompletedSuccessfully)
                {
                    return fast.Result;
                }

                if (!slow.IsCompleted)
                {
                    await slow;
                }

                return slow.Result + {|ACRN006:fast.Result|};
            }
        }
        """);

    [Fact]
    public Task Elements_of_an_array_or_list_awaited_with_when_all_are_complete() => Verify.AnalyzerAsync("""
        class C
        {
            async Task<int> M(List<Task<int>> tasks, Task<int>[] array, List<Task<int>> other)
            {
                await Task.WhenAll(tasks);
                await Task.WhenAll(array).ConfigureAwait(false);
                var sum = tasks[0].Result + array[1].Result;
                foreach (var task in tasks)
                {
                    sum += task.Result;
                }

                foreach (var task in array)
                {
                    sum += task.GetAwaiter().GetResult();
                }

                foreach (var task in other)
                {
                    sum += {|ACRN006:task.Result|};
                }

                return sum + {|ACRN006:other[0].Result|};
            }
        }
        """);

    [Fact]
    public Task Final_status_makes_the_task_complete_on_its_true_branch() => Verify.AnalyzerAsync("""
        class C
        {
            async Task<int> M(Task<int> task)
            {
                await Task.Yield();
                if (task.Status == TaskStatus.RanToCompletion)
                {
                    return task.Result;
                }

                if (TaskStatus.Running == task.Status)
                {
                    return {|ACRN006:task.Result|};
                }

                return 0;
            }
        }
        """);

    [Fact]
    public Task Thread_sleep_in_an_async_method_is_not_sync_over_async() => Verify.AnalyzerAsync("""
        class C
        {
            async Task M()
            {
                await Task.Yield();
                Thread.Sleep(1);
            }
        }
        """);
}
