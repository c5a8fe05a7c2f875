namespace Acorn.Orleans.Silo;

/// <summary>Settings of the silo host, bound from the configuration section <c>Acorn:Silo</c>.</summary>
public sealed class AcornSiloOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Acorn:Silo";

    /// <summary>Where grain state is stored. Default <see cref="GrainStorageKind.Postgres"/>.</summary>
    public GrainStorageKind Storage { get; set; } = GrainStorageKind.Postgres;
}
