using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Tests;

/// <summary>Writes fail with an I/O error while <see cref="Failing"/> is set; everything else reaches the real store.</summary>
internal sealed class FaultInjectingStore(IContextStore inner) : DelegatingContextStore(inner)
{
    public volatile bool Failing;

    public override ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken) =>
        Failing ? ValueTask.FromException(new IOException("injected: no space left on device")) : Inner.WriteAsync(write, cancellationToken);
}
