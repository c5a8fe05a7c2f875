namespace Acorn.Bench.Primitives;

/// <summary>The benchmark classes of the <c>primitives</c> suite.</summary>
internal static class PrimitiveSuite
{
    public static readonly Type[] Types =
    [
        typeof(UncontendedExclusiveBenchmarks),
        typeof(ContendedHandoffBenchmarks),
        typeof(UncontendedRwLockBenchmarks),
        typeof(ContextManagerGetBenchmarks),
        typeof(ContextManagerUpdateBenchmarks),
        typeof(ContextManagerCreateBenchmarks),
    ];

    /// <summary>Operations per benchmark invocation of the uncontended suites, so the loop, not the call, is measured.</summary>
    public const int Operations = 1_000;
}
