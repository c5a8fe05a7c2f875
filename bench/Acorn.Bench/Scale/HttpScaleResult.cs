namespace Acorn.Bench.Scale;

/// <summary>The HTTP check of the scale suite: Acorn.Server started on the database the suite created.</summary>
/// <param name="Contexts">How many contexts the database holds.</param>
/// <param name="FirstRead">From starting the server process until <c>GET /contexts/{id}</c> first answered 200.</param>
/// <param name="Loaded">From starting the server process until <c>/healthz</c> said every context is loaded.</param>
/// <param name="ListFirst">The first page of 100 (<c>GET /contexts?limit=100</c>), in microseconds.</param>
/// <param name="ListMiddle">A page of 100 from the middle of the ids.</param>
/// <param name="ListLast">The last page of 100.</param>
/// <param name="ServerRss">The server's resident memory once loaded, in bytes.</param>
internal sealed record HttpScaleResult(
    int Contexts, TimeSpan FirstRead, TimeSpan Loaded, LatencySummary ListFirst, LatencySummary ListMiddle, LatencySummary ListLast, long ServerRss);
