namespace Acorn.Bench.OrleansCluster;

/// <summary>What one cell of the Orleans benchmark does per call.</summary>
internal enum Operation
{
    /// <summary>The ceiling: a call to <see cref="IBareCounterGrain"/>, no storage.</summary>
    BareCall,

    /// <summary>The storage floor: one UPDATE of a row in the same PostgreSQL, no Orleans (<see cref="PostgresRows"/>).</summary>
    PostgresUpdate,

    /// <summary><c>ContextGrainClient.UpdateAsync(id, content)</c>: one grain call, one storage write.</summary>
    ClusterBlind,

    /// <summary><c>ContextGrainClient.UpdateAsync(id, func)</c>: a read call, then a compare-and-set write, retried on conflict.</summary>
    ClusterIncrement,

    /// <summary><c>ContextManager.UpdateAsync(id, content)</c> over SQLite.</summary>
    SqliteBlind,

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
        Operation.ClusterBlind => "cluster: blind update",
        Operation.ClusterIncrement => "cluster: read-modify-write increment",
        Operation.SqliteBlind => "SQLite: blind update",
        _ => "SQLite: read-modify-write increment",
    };

    public static bool IsCluster(this Operation operation) => operation is Operation.ClusterBlind or Operation.ClusterIncrement;

    public static bool IsIncrement(this Operation operation) => operation is Operation.ClusterIncrement or Operation.SqliteIncrement;

    /// <summary>The SQLite operation doing the same work as a cluster one.</summary>
    public static Operation SqliteCounterpart(this Operation operation) =>
        operation == Operation.ClusterBlind ? Operation.SqliteBlind : Operation.SqliteIncrement;

    /// <summary>Each operation updates its own contexts (blind updates would overwrite the counters increments check).</summary>
    public static string IdPrefix(this Operation operation) => operation switch
    {
        Operation.BareCall => "bare",
        Operation.PostgresUpdate => "row",
        Operation.ClusterBlind or Operation.SqliteBlind => "blind",
        _ => "count",
    };
}
