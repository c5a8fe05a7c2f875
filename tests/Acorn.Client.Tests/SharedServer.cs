namespace Acorn.Client.Tests;

/// <summary>One running server for a test class whose tests use ids of their own (<see cref="UniqueId"/>).</summary>
public class SharedServer : IAsyncLifetime
{
    public InProcessServer Server { get; } = new();

    public Uri BaseAddress => Server.BaseAddress!;

    public static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Settings the server starts with.</summary>
    protected virtual IEnumerable<string> Settings => [];

    public virtual async ValueTask InitializeAsync() => await Server.StartAsync(Settings);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
