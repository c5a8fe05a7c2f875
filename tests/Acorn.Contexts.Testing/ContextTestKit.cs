using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Acorn.Contexts.Testing;

/// <summary>What every context test uses: a fake clock, the test's cancellation token, and content helpers.</summary>
public abstract class ContextTestKit
{
    /// <summary>A fake clock that starts at 2026-01-01 and moves only when a test advances it.</summary>
    protected virtual FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static ContextContent Json(string json, IReadOnlyDictionary<string, string>? metadata = null) =>
        ContextContent.Parse(json, metadata);

    protected static ContextContent Counter(long n) => Json($$"""{"n":{{n}}}""");

    protected static long CounterOf(ContextState state) => state.Data.GetProperty("n").GetInt64();

    protected static long CounterOf(ContextContent content) => content.Data.GetProperty("n").GetInt64();

    protected static ContextContent Increment(ContextState state) => Counter(CounterOf(state) + 1);

    protected static string Text(ContextState state) => JsonSerializer.Serialize(state.Data);
}
