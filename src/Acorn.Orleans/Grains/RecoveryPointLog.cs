namespace Acorn.Orleans.Grains;

/// <summary>A context's recovery points: persisted as their own record beside the context's, bounded, newest first.</summary>
/// <remarks>Kept apart from <see cref="ContextGrainState"/> so that a context write does not rewrite its snapshots.</remarks>
[GenerateSerializer]
public sealed class RecoveryPointLog
{
    /// <summary>The id of the last recovery point taken; ids keep increasing across deletes so they never repeat.</summary>
    [Id(0)] public long LastId { get; set; }

    /// <summary>The recovery points, newest first.</summary>
    [Id(1)] public IReadOnlyList<RecoveryPointRecord> Points { get; set; } = [];

    /// <summary>The <see cref="ContextGrainState.Incarnation"/> the points were taken of.</summary>
    [Id(2)] public long Incarnation { get; set; }
}
