using Acorn.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Acorn.Client.Tests;

/// <summary>
/// The real Acorn server in this test process, with Kestrel on a loopback port, over a data folder that outlives its
/// restarts: stopping and starting it again on the same folder and port is what a restarted server process does.
/// </summary>
/// <remarks>
/// In this process the server can share the test's fake clock, so the contract tests that move time run against it
/// too. Kills mid-write need a real process: see <c>ServerProcess</c>.
/// </remarks>
public sealed class InProcessServer : IAsyncDisposable
{
    public const string AdminKey = "client-test-admin-key-0123456789";
    public const string ReadKey = "client-test-read-key-0123456789";

    private WebApplication? _app;

    public string Folder { get; } = Directory.CreateTempSubdirectory("acorn-client-").FullName;

    /// <summary>The address it listens on: the same across restarts once it has started.</summary>
    public Uri? BaseAddress { get; private set; }

    public bool IsRunning => _app is not null;

    /// <summary>Starts the server with extra command-line settings and, when given, the test's clock.</summary>
    public Task StartAsync(IEnumerable<string>? settings, TimeProvider time) =>
        StartAsync(settings, builder => builder.Services.AddSingleton(time));

    /// <summary>Starts the server with extra command-line settings, letting the test change its services (wrap its store).</summary>
    public async Task StartAsync(IEnumerable<string>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The server is running; stop it first.");
        }

        string[] args =
        [
            "--urls", BaseAddress?.ToString().TrimEnd('/') ?? "http://127.0.0.1:0",
            "--data", Path.Combine(Folder, "data"),
            "--plugins", Path.Combine(Folder, "plugins"),
            $"--Acorn:Server:ApiKeys:0:Key={AdminKey}",
            $"--Acorn:Server:ApiKeys:1:Key={ReadKey}",
            "--Acorn:Server:ApiKeys:1:Role=ReadOnly",
            "--Logging:LogLevel:Default=Warning",
            .. settings ?? [],
        ];
        var app = AcornServerApplication.Create(args, configure);
        await app.StartAsync(TestContext.Current.CancellationToken);
        _app = app;
        BaseAddress ??= new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    /// <summary>Stops the server as a shutdown does: streams end, requests in flight finish, the store commits and closes.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
