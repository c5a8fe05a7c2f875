namespace Acorn.Bench.Http;

/// <summary>One thing the suite loads: a method and a set of paths on one of the two servers, requests spread round-robin over the paths.</summary>
/// <param name="Key">Short name, used for file names and the console.</param>
/// <param name="Label">The name in the report.</param>
/// <param name="OnAcorn">True for Acorn.Server, false for the bare ceiling server.</param>
/// <param name="Method">GET, PUT or PATCH.</param>
/// <param name="Paths">The request paths; each connection walks them in turn from its own offset.</param>
/// <param name="Body">The JSON body of every request, or null.</param>
/// <param name="Diagnostic">A target that only helps explain the others (no target ratio, non-2xx expected).</param>
/// <param name="FieldPerConnection">
/// Instead of <paramref name="Body"/>: each connection merge-patches a field of its own (<c>c0</c>, <c>c1</c>...) with an
/// increasing value, and wrk reports each field's last acknowledged value; wrk then runs one thread per connection,
/// so that each Lua state drives exactly one connection and knows which request a response answers.
/// </param>
internal sealed record HttpTarget(
    string Key, string Label, bool OnAcorn, string Method, IReadOnlyList<string> Paths, string? Body, bool Diagnostic = false, bool FieldPerConnection = false);
