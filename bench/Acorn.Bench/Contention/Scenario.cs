namespace Acorn.Bench.Contention;

/// <summary>What the concurrent tasks do.</summary>
internal enum Scenario
{
    /// <summary>Every operation creates a new context.</summary>
    Create,

    /// <summary>Every operation increments one shared context (read-modify-write).</summary>
    SharedUpdate,

    /// <summary>Every operation reads one of 10 contexts.</summary>
    Reads,

    /// <summary>A third of each.</summary>
    Mixed,
}
