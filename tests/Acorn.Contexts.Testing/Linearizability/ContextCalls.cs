namespace Acorn.Contexts.Testing.Linearizability;

/// <summary>The context operations a <see cref="LinearizabilityWorkload"/> calls, on whatever implements them.</summary>
/// <param name="Get">Reads a context; throws <see cref="ContextNotFoundException"/> when there is none.</param>
/// <param name="Create">Creates a context.</param>
/// <param name="Update">Replaces a context's content, compare-and-set when an expected version is given.</param>
/// <param name="UpdateWith">Reads, computes and writes a context (read-modify-write).</param>
/// <param name="Delete">Deletes a context, compare-and-set when an expected version is given; returns the state it removed.</param>
public sealed record ContextCalls(
    Func<string, CancellationToken, Task<ContextState>> Get,
    Func<string, ContextContent, CancellationToken, Task<ContextState>> Create,
    Func<string, ContextContent, long?, CancellationToken, Task<ContextState>> Update,
    Func<string, Func<ContextState, ContextContent>, CancellationToken, Task<ContextState>> UpdateWith,
    Func<string, long?, CancellationToken, Task<ContextState>> Delete)
{
    /// <summary>The calls of an <see cref="IContextManager"/>.</summary>
    /// <param name="manager">The manager.</param>
    /// <returns>Its calls.</returns>
    public static ContextCalls Of(IContextManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return new(
            (id, ct) => manager.GetAsync(id, ct).AsTask(),
            (id, content, ct) => manager.CreateAsync(id, content, ct).AsTask(),
            (id, content, expected, ct) => manager.UpdateAsync(id, content, expected, ct).AsTask(),
            (id, update, ct) => manager.UpdateAsync(id, update, ct).AsTask(),
            (id, expected, ct) => manager.DeleteAsync(id, expected, ct).AsTask());
    }
}
