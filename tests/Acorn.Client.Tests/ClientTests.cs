namespace Acorn.Client.Tests;

/// <summary>A test of <see cref="AcornClient"/>: the clients it builds are disposed with it.</summary>
public abstract class ClientTests : IAsyncDisposable
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected TestClients Clients { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await Clients.DisposeAsync();
        await DisposeServerAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops what the test started, after its clients.</summary>
    protected virtual ValueTask DisposeServerAsync() => ValueTask.CompletedTask;
}

/// <summary>A test that starts its own server in this process, with the settings it needs.</summary>
public abstract class InProcessServerTests : ClientTests
{
    protected InProcessServer Server { get; } = new();

    protected override ValueTask DisposeServerAsync() => Server.DisposeAsync();
}

/// <summary>A test that runs the server as a separate process over a data folder of its own.</summary>
public abstract class ServerProcessTests : ClientTests
{
    protected string Folder { get; } = Directory.CreateTempSubdirectory("acorn-client-process-").FullName;

    protected override ValueTask DisposeServerAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
