namespace Acorn.Bench.Contention;

/// <summary>The store underneath every contender in a run.</summary>
internal enum StoreKind
{
    InMemory,
    SqliteFull,
    SqliteNormal,
    SimulatedRemote,
}
