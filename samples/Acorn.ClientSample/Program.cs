// Acorn's client sample: contexts on an Acorn server, from another process, through AcornClient (IContextManager over
// HTTP). Usage: dotnet run --project samples/Acorn.ClientSample
// It starts a server of its own; to use yours, set ACORN_URL (http://127.0.0.1:5080) and ACORN_API_KEY.
using Acorn.Client;
using Acorn.Contexts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

await using var local = Environment.GetEnvironmentVariable("ACORN_URL") is null ? await LocalServer.StartAsync(CancellationToken.None) : null;
var address = local?.Address ?? new Uri(Environment.GetEnvironmentVariable("ACORN_URL")!);
var key = local?.Key ?? Environment.GetEnvironmentVariable("ACORN_API_KEY");
Console.WriteLine($"Server: {address}{(local is null ? "" : " (started by the sample, stopped when it ends)")}");

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddAcornClient(o =>
{
    o.BaseAddress = address;
    o.ApiKey = key;
});
using var host = builder.Build();
await host.StartAsync();                                          // checks the options: a bad address or key stops here
var contexts = host.Services.GetRequiredService<IContextManager>(); // AcornClient: the same interface as in-process
await contexts.InitializeAsync();                                 // one request: the server is there and takes the key

// Subscribe first: this client's own writes reach the subscription before they return, other processes' as they happen.
const string id = "sample:cart";
using var changes = contexts.Subscribe(id);
var watching = Task.Run(async () =>
{
    var (seen, resets) = (0, 0);
    await foreach (var change in changes.ReadAllAsync())
    {
        seen += change.Kind == ContextChangeKind.Reset ? 0 : 1;
        resets += change.Kind == ContextChangeKind.Reset ? 1 : 0;
    }

    return (seen, resets);
});

var cart = await contexts.FindAsync(id) is { } existing
    ? existing
    : await contexts.CreateAsync(id, ContextContent.Parse("""{"items":0}""") with { TimeToLive = TimeSpan.FromHours(1) });
Console.WriteLine($"{id}: version {cart.Version}, {Items(cart)} items, expires {cart.ExpiresAt:u}");

// Compare-and-set by hand: a write that expects a version someone else moved past is refused and changes nothing.
await contexts.UpdateAsync(id, ContextContent.Parse($$"""{"items":{{Items(cart)}}}"""), expectedVersion: cart.Version);
try
{
    await contexts.UpdateAsync(id, ContextContent.Parse("""{"items":-1}"""), expectedVersion: cart.Version);
}
catch (ContextVersionConflictException conflict)
{
    Console.WriteLine($"Stale write refused: expected version {conflict.ExpectedVersion}, the context is at {conflict.ActualVersion}");
}

// Read-modify-write: the client reads, applies the function and writes with If-Match, again when another writer got in first.
const int tasks = 8, each = 10;
await Task.WhenAll(Enumerable.Range(0, tasks).Select(_ => Task.Run(async () =>
{
    for (var i = 0; i < each; i++)
    {
        await contexts.UpdateAsync(id, state => ContextContent.Parse($$"""{"items":{{Items(state) + 1}}}"""));
    }
})));
cart = await contexts.GetAsync(id);
Console.WriteLine($"{tasks} tasks x {each} increments: {Items(cart)} items at version {cart.Version} (none lost)");

// A patch is applied by the server in the context's own order: no retries, whoever else writes.
var point = await contexts.CreateRecoveryPointAsync(id);
cart = await contexts.PatchAsync(id, ContextPatch.Parse(ContextPatchKind.MergePatch, """{"coupon":"SPRING"}"""));
Console.WriteLine($"Patched: {cart.Data.GetRawText()} at version {cart.Version}");
cart = await contexts.RestoreAsync(id, point.Id);
Console.WriteLine($"Restored recovery point {point.Id} (version {point.Version}): {cart.Data.GetRawText()} as version {cart.Version}");

changes.Dispose();
var (changed, reset) = await watching;
Console.WriteLine($"The subscription saw {changed} changes of {id} ({reset} resets)");
await host.StopAsync();

static long Items(ContextState state) => state.Data.GetProperty("items").GetInt64();
