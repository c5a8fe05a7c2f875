// Usage: CrashWriter <database path>
// Increments counters in contexts c0..c7 from 8 concurrent tasks and prints "ack <id> <version>" after each
// acknowledged write, until the parent kills the process.
using Acorn.Contexts;
using Acorn.Contexts.Sqlite;

var store = new SqliteContextStore(new SqliteContextStoreOptions { Path = args[0], Durability = Durability.Full });
var manager = new ContextManager(store);
await manager.InitializeAsync();
var output = Console.Out;
var gate = new Lock();

for (var i = 0; i < 8; i++)
{
    try
    {
        await manager.CreateAsync($"c{i}", ContextContent.Parse("""{"n":0}"""));
        Report($"c{i}", 1);
    }
    catch (ContextAlreadyExistsException)
    {
        // A previous round created it.
    }
}

Console.WriteLine("ready");
await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
{
    for (var n = 0; ; n++)
    {
        var id = $"c{(worker + n) % 8}";
        var written = await manager.UpdateAsync(id, s => ContextContent.Parse($$"""{"n":{{s.Data.GetProperty("n").GetInt64() + 1}}}"""));
        Report(id, written.Version);
    }
})));

void Report(string id, long version)
{
    lock (gate)
    {
        output.WriteLine($"ack {id} {version}");
        output.Flush();
    }
}
