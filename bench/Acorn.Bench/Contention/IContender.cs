namespace Acorn.Bench.Contention;

/// <summary>One design of a context store under test: the original's two and Acorn's, over the same store.</summary>
/// <remarks>
/// Value tasks, as Acorn's own API returns: a <see cref="Task"/> here made Acorn's completed writes pay a conversion
/// (<c>AsTask</c>, a task per operation) that the designs written as <see langword="async"/> methods did not.
/// </remarks>
internal interface IContender
{
    string Name { get; }

    /// <summary>Creates a context holding a counter of 0.</summary>
    ValueTask CreateAsync(string id);

    /// <summary>Read-modify-write: reads the counter and writes it back plus one.</summary>
    ValueTask IncrementAsync(string id);

    /// <summary>Reads the counter.</summary>
    ValueTask<long> ReadAsync(string id);
}
