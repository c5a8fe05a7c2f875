namespace Acorn.Orleans;

/// <summary>Names that silo and client configuration refer to.</summary>
public static class AcornOrleans
{
    /// <summary>The name of the grain storage provider the context grains persist through: register one under it (for example <c>AddAdoNetGrainStorage(AcornOrleans.StorageName, ...)</c>).</summary>
    public const string StorageName = "acorn";

    /// <summary>
    /// The name of the stream provider the context grains publish their changes through, when one is registered (for
    /// example <c>AddMemoryStreams(AcornOrleans.StreamProviderName)</c> on silos and clients): every
    /// <see cref="OrleansContextManager"/> then sees every server's writes.
    /// </summary>
    public const string StreamProviderName = "acorn";

    /// <summary>The stream namespace of the change streams; the stream key is the scope's directory key.</summary>
    internal const string ChangeStreamNamespace = "acorn-context-changes";

    /// <summary>How many persisted partitions a scope's context directory is split into.</summary>
    internal const int DirectoryPartitions = 16;

    /// <summary>The grain key of context <paramref name="id"/> in <paramref name="scope"/>.</summary>
    internal static string ContextKey(string scope, string id) => scope.Length == 0 ? id : $"{scope}/{id}";

    /// <summary>The grain key of <paramref name="scope"/>'s context directory (never empty, which Orleans keys may not be).</summary>
    internal static string DirectoryKey(string scope) => DirectoryKeyPrefix + scope;

    /// <summary>The scope whose directory has the grain key <paramref name="directoryKey"/>.</summary>
    internal static string ScopeOfDirectory(string directoryKey) => directoryKey[DirectoryKeyPrefix.Length..];

    private const string DirectoryKeyPrefix = "contexts:";

    /// <summary>The context id inside a context grain key (ids never contain '/').</summary>
    internal static string IdOf(string contextKey) => contextKey[(contextKey.LastIndexOf('/') + 1)..];

    /// <summary>The scope inside a context grain key.</summary>
    internal static string ScopeOf(string contextKey) => contextKey.LastIndexOf('/') is var slash and >= 0 ? contextKey[..slash] : string.Empty;
}
