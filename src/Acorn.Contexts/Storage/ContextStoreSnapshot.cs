namespace Acorn.Contexts;

/// <summary>Everything a <see cref="ContextManager"/> needs from its store at start-up.</summary>
/// <param name="Contexts">Every stored context.</param>
/// <param name="LastRecoveryPointId">The highest recovery point id ever handed out (0 when none).</param>
public sealed record ContextStoreSnapshot(IReadOnlyList<ContextState> Contexts, long LastRecoveryPointId);
