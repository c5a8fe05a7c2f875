using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Acorn.Bench.Http;

/// <summary>
/// The ceiling of the <c>http</c> suite: a bare minimal-API endpoint returning a constant, on the same host builder,
/// Kestrel defaults and logging levels as Acorn.Server, in its own process (server GC, like Acorn.Server) so it is
/// separated from the load generator exactly as Acorn.Server is. Started by the suite as <c>http-bare --urls URL</c>.
/// </summary>
internal static class BareServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Acorn.Server's appsettings.json: Information by default, Warning for ASP.NET Core (no per-request log lines).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/ping", () => "pong");
        await app.RunAsync();
        return 0;
    }
}
