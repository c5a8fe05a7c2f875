namespace Acorn.Bench.Contention;

/// <summary>One design of a context store under test: the original's two and Acorn's, over the same store.</summary>
internal interface IContender
{
    string Name { get; }

    /// <summary>Creates a context holding a counter of 0.</summary>
    Task CreateAsync(string id);

    /// <summary>Read-modify-write: reads the counter and writes it back plus one.</summary>
    Task IncrementAsync(string id);

    /// <summary>Reads the counter.</summary>
    Task<long> ReadAsync(string id);
}
