using System.Net.Http.Headers;
using Acorn.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Acorn.Server.Tests;

/// <summary>The real server, in this process, on a free loopback port with Kestrel, over a fresh data folder.</summary>
public class ServerFixture : IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string ReadKey = "test-read-key-0123456789";

    private WebApplication? _app;

    public string DataPath { get; } = Directory.CreateTempSubdirectory("acorn-server-").FullName;

    public Uri BaseAddress { get; private set; } = null!;

    public WebApplication App => _app ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Extra command-line arguments, set before <see cref="InitializeAsync"/> by fixtures that need other settings.</summary>
    public IList<string> ExtraArguments { get; } = [];

    public virtual async ValueTask InitializeAsync()
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--data", Path.Combine(DataPath, "data"),
            "--plugins", Path.Combine(DataPath, "plugins"),
            $"--Acorn:Server:ApiKeys:0:Key={AdminKey}",
            $"--Acorn:Server:ApiKeys:1:Key={ReadKey}",
            "--Acorn:Server:ApiKeys:1:Role=ReadOnly",
            "--Acorn:Server:EventHeartbeatInterval=00:00:01",
            "--Logging:LogLevel:Default=Warning",
            .. ExtraArguments,
        ];
        _app = AcornServerApplication.Create(args, Configure);
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address);
    }

    /// <summary>Changes the server's services before it is built: for fixtures that wrap its store.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public HttpClient CreateClient(string? key = AdminKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(DataPath, recursive: true);
        GC.SuppressFinalize(this);
    }
}
