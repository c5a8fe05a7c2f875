namespace Acorn.Bench.Scale;

/// <summary>What the scale suite measured at one size, through <c>ContextManager</c> over SQLite <c>Durability.Full</c>.</summary>
internal sealed record ScaleResult
{
    public required int Contexts { get; init; }

    public required double MeanDataBytes { get; init; }

    /// <summary>Creates per second, 64 tasks, each awaiting its own create (every one durable before it returns).</summary>
    public required double CreatesPerSecond { get; init; }

    public required LatencySummary ListFirst { get; init; }

    public required LatencySummary ListMiddle { get; init; }

    public required LatencySummary ListLast { get; init; }

    /// <summary>A page of one tenant's ids (<c>prefix=tNN:</c>), from the middle of the store.</summary>
    public required LatencySummary ListPrefix { get; init; }

    /// <summary>Every context, 100 a page, from the first to the last.</summary>
    public required TimeSpan FullScan { get; init; }

    public required LatencySummary GetHot { get; init; }

    public required LatencySummary GetCold { get; init; }

    public required long HeapAfterCreate { get; init; }

    public required long RssAfterCreate { get; init; }

    /// <summary>Managed heap per context, beyond the UTF-8 data (no metadata), once created.</summary>
    public required double OverheadAfterCreate { get; init; }

    /// <summary>From opening the store anew until the manager serves writes (it has read the store's summary).</summary>
    public required TimeSpan RestartOpen { get; init; }

    /// <summary>From opening the store anew until the first read of a random context returned.</summary>
    public required TimeSpan RestartFirstRead { get; init; }

    /// <summary>From opening the store anew until every context was in memory.</summary>
    public required TimeSpan RestartLoaded { get; init; }

    public required long HeapAfterLoad { get; init; }

    public required long RssAfterLoad { get; init; }

    /// <summary>Managed heap per context, beyond the UTF-8 data, after a restart loaded them.</summary>
    public required double OverheadAfterLoad { get; init; }

    public required long DatabaseBytes { get; init; }

    /// <summary>What the correctness checks found wrong (none when empty): ids listed twice or missed, contexts lost over the restart.</summary>
    public required IReadOnlyList<string> Failures { get; init; }
}
