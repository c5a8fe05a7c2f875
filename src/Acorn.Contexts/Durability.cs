namespace Acorn.Contexts;

/// <summary>How much a store's acknowledged write survives.</summary>
public enum Durability
{
    /// <summary>Nothing survives the process (in-memory stores; SQLite with <c>synchronous=OFF</c>).</summary>
    None,

    /// <summary>Survives a process kill; the last commits may be lost on power loss (SQLite WAL with <c>synchronous=NORMAL</c>).</summary>
    Normal,

    /// <summary>Survives a process kill and power loss (SQLite WAL with <c>synchronous=FULL</c>). The default.</summary>
    Full,
}
