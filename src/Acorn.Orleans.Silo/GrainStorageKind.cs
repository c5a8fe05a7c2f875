namespace Acorn.Orleans.Silo;

/// <summary>Where the silo's grains keep their state.</summary>
public enum GrainStorageKind
{
    /// <summary>PostgreSQL through Orleans' ADO.NET provider (<c>Acorn:Orleans:Postgres</c>): the production choice.</summary>
    Postgres,

    /// <summary>Redis (<c>Acorn:Orleans:Redis</c>): simpler to run, as durable as the Redis server's persistence settings.</summary>
    Redis,

    /// <summary>In the silos' memory: lost when the silo holding a grain's state stops. Development and tests only.</summary>
    Memory,
}
