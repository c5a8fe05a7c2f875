using Microsoft.CodeAnalysis;

namespace Acorn.Analyzers.Flow;

/// <summary>Lock <paramref name="Inner"/> was acquired at <paramref name="Location"/> while <paramref name="Outer"/> was held.</summary>
internal sealed record LockOrderEdge(string Outer, string OuterDisplay, string Inner, string InnerDisplay, Location Location);
