using Microsoft.CodeAnalysis;

namespace Acorn.Analyzers.Flow;

/// <summary>
/// A fact of <see cref="LiveAcrossAwaitAnalysis"/>: the local holds a value (<paramref name="Await"/> null), or the value
/// it holds was assigned before the await at <paramref name="Await"/>.
/// </summary>
internal sealed record LocalFact(ILocalSymbol Local, Location? Await)
{
    public bool Equals(LocalFact? other)
        => other is not null && SymbolEqualityComparer.Default.Equals(Local, other.Local) && Equals(Await, other.Await);

    public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Local) ^ (Await?.GetHashCode() ?? 0);
}
