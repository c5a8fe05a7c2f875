using Acorn.Contexts;

namespace Acorn.Bench.Contention;

/// <summary>The counter document every contender stores: <c>{"n": N}</c>.</summary>
internal static class Counter
{
    public static ContextContent Content(long n) => ContextContent.Parse($$"""{"n":{{n}}}""");

    public static long Of(ContextState state) => state.Data.GetProperty("n").GetInt64();

    public static ContextState State(string id, long version, long n) =>
        ContextState.FromStore(id, version, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, $$"""{"n":{{n}}}""", new Dictionary<string, string>());
}
