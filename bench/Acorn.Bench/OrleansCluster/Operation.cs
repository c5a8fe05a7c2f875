namespace Acorn.Bench.OrleansCluster;

/// <summary>What one cell of the Orleans benchmark does per call.</summary>
internal enum Operation
{
    /// <summary>The ceiling: a call to <see cref="IBareCounterGrain"/>, no storage.</summary>
    BareCall,

    /// <summary>A storage floor: one plain UPDATE of a row in the same PostgreSQL, no Orleans (<see cref="PostgresRows"/>).</summary>
    PostgresUpdate,

    /// <summary>The storage floor a grain write stands on: the ADO.NET provider's own write statement, run straight through Npgsql.</summary>
    PostgresProviderWrite,

    /// <summary><c>ContextGrainClient.UpdateAsync(id, content)</c>: one grain call, queued and persisted in the grain's batch.</summary>
    ClusterBlind,

    /// <summary><c>ContextGrainClient.PatchAsync</c>: a merge patch applied in the grain's turn.</summary>
    ClusterPatch,

    /// <summary><c>ContextGrainClient.UpdateAsync(id, func)</c> from one client: the local turn's runs, compare-and-set in the grain.</summary>
    ClusterIncrement,

    /// <summary>The same from two cluster clients (two connections, two local turns), as two processes would.</summary>
    ClusterIncrementTwoClients,

    /// <summary><c>ContextManager.UpdateAsync(id, content)</c> over SQLite.</summary>
    SqliteBlind,

    /// <summary><c>ContextManager.PatchAsync</c> over SQLite.</summary>
    SqlitePatch,

    /// <summary><c>ContextManager.UpdateAsync(id, func)</c> over SQLite.</summary>
    SqliteIncrement,
}

/// <summary>Which contexts a cell's tasks update.</summary>
internal enum Spread
{
    /// <summary>Each task its own slice of many contexts: no two tasks touch the same one.</summary>
    Distinct,

    /// <summary>Every task the same context.</summary>
    Hot,
}

internal static class OperationText
{
    public static string Label(this Operation operation) => operation switch
    {
        Operation.BareCall => "bare grain call (no storage)",
        Operation.PostgresUpdate => "PostgreSQL alone: one UPDATE",
        Operation.PostgresProviderWrite => "PostgreSQL alone: the provider's write",
        Operation.ClusterBlind => "cluster: blind update",
        Operation.ClusterPatch => "cluster: merge patch",
        Operation.ClusterIncrement => "cluster: read-modify-write increment",
        Operation.ClusterIncrementTwoClients => "cluster: increment, 2 clients",
        Operation.SqliteBlind => "SQLite: blind update",
        Operation.SqlitePatch => "SQLite: merge patch",
        _ => "SQLite: read-modify-write increment",
    };

    public static bool IsCluster(this Operation operation) =>
        operation is Operation.ClusterBlind or Operation.ClusterPatch or Operation.ClusterIncrement or Operation.ClusterIncrementTwoClients;

    public static bool IsSqlite(this Operation operation) => operation is Operation.SqliteBlind or Operation.SqlitePatch or Operation.SqliteIncrement;

    public static bool IsIncrement(this Operation operation) =>
        operation is Operation.ClusterIncrement or Operation.ClusterIncrementTwoClients or Operation.SqliteIncrement;

    public static bool IsPatch(this Operation operation) => operation is Operation.ClusterPatch or Operation.SqlitePatch;

    /// <summary>The SQLite operation doing the same work as a cluster one.</summary>
    public static Operation SqliteCounterpart(this Operation operation) => operation switch
    {
        Operation.ClusterBlind => Operation.SqliteBlind,
        Operation.ClusterPatch => Operation.SqlitePatch,
        _ => Operation.SqliteIncrement,
    };

    /// <summary>Each operation updates its own contexts (blind updates would overwrite the counters increments check).</summary>
    public static string IdPrefix(this Operation operation) => operation switch
    {
        Operation.BareCall => "bare",
        Operation.PostgresUpdate => "row",
        Operation.PostgresProviderWrite => "grain",
        Operation.ClusterBlind or Operation.SqliteBlind => "blind",
        Operation.ClusterPatch or Operation.SqlitePatch => "patch",
        Operation.ClusterIncrementTwoClients => "count2",
        _ => "count",
    };
}
