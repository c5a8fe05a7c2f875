namespace Acorn.Orleans;

/// <summary>Names that silo configuration refers to.</summary>
public static class AcornOrleans
{
    /// <summary>The name of the grain storage provider the context grains persist through: register one under it (for example <c>AddAdoNetGrainStorage(AcornOrleans.StorageName, ...)</c>).</summary>
    public const string StorageName = "acorn";
}
