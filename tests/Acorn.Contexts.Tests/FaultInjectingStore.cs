using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Tests;

/// <summary>
/// Writes fail while <see cref="Failing"/> is set, with a store error that vouches nothing changed (as a store reports a
/// failure before its commit); everything else reaches the real store.
/// </summary>
internal sealed class FaultInjectingStore(IContextStore inner) : DelegatingContextStore(inner)
{
    public volatile bool Failing;

    public override ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken) =>
        Failing ? ValueTask.FromException(DiskFull(write.ContextId)) : Inner.WriteAsync(write, cancellationToken);

    public static ContextStoreException DiskFull(string contextId) =>
        new(contextId, "injected: no space left on device; nothing was changed", new IOException("no space left on device"));
}
