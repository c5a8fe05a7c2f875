using Acorn.Contexts;

namespace Acorn.Client;

/// <summary>
/// A read-modify-write over HTTP gave up: every compare-and-set it tried was beaten by another writer. Nothing was
/// changed by this call.
/// </summary>
/// <remarks>
/// <see cref="AcornClient"/> runs one client's updates of a context one at a time, so only other processes' writes
/// can beat it. For a context many processes write at once, send patches
/// (<see cref="IContextManager.PatchAsync"/>): the server applies them in the context's own order, without retries.
/// </remarks>
public sealed class ContextUpdateContendedException : ContextException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="contextId">The context.</param>
    /// <param name="attempts">How many compare-and-sets were tried.</param>
    /// <param name="lastVersion">The version the last attempt found the context at.</param>
    public ContextUpdateContendedException(string contextId, int attempts, long lastVersion)
        : base(contextId, $"Gave up updating context '{contextId}' after {attempts} compare-and-set attempts: another writer changed it each time "
            + $"(last seen at version {lastVersion}); nothing was changed. Send a patch for a context many processes write, "
            + "or raise AcornClientOptions.MaxUpdateAttempts.")
    {
        Attempts = attempts;
        LastVersion = lastVersion;
    }

    /// <summary>How many compare-and-sets were tried.</summary>
    public int Attempts { get; }

    /// <summary>The version the last attempt found the context at.</summary>
    public long LastVersion { get; }
}
