namespace Acorn.Server.Storage;

/// <summary>Where the server keeps its contexts: the <c>Acorn:Store</c> setting (<c>--store</c>).</summary>
internal enum ContextStoreKind
{
    /// <summary>This process's <c>ContextManager</c> over the SQLite file in the data folder: one machine. The default.</summary>
    Sqlite,

    /// <summary>An Orleans cluster of Acorn silos (<c>src/Acorn.Orleans.Silo</c>); this server is one of its clients.</summary>
    Orleans,
}
