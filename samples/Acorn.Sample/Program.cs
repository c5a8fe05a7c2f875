// Acorn's console sample: contexts in a local SQLite file, updated from many concurrent tasks,
// with a recovery point taken and restored. Usage: dotnet run --project samples/Acorn.Sample [-- --data DIR]
using Acorn.Contexts;
using Acorn.Contexts.Sqlite;

var dataFolder = args is ["--data", var folder, ..] ? folder : Path.Combine(Environment.CurrentDirectory, "data");
await using var store = new SqliteContextStore(new SqliteContextStoreOptions { Path = Path.Combine(dataFolder, "acorn.db") });
var manager = new ContextManager(store);
await manager.InitializeAsync();
Console.WriteLine($"Database: {store.FilePath} ({manager.Count} contexts loaded)");

const string id = "sample:counter";
var state = await manager.FindAsync(id) ?? await manager.CreateAsync(id, ContextContent.Parse("""{"count":0}"""));
Console.WriteLine($"{id} starts at version {state.Version}, count {Count(state)}");

var point = await manager.CreateRecoveryPointAsync(id);
Console.WriteLine($"Recovery point {point.Id} taken at version {point.Version}");

const int tasks = 32, incrementsPerTask = 50;
var commitsBefore = store.CommittedBatches;
await Task.WhenAll(Enumerable.Range(0, tasks).Select(_ => Task.Run(async () =>
{
    for (var i = 0; i < incrementsPerTask; i++)
    {
        await manager.UpdateAsync(id, s => ContextContent.Parse($$"""{"count":{{Count(s) + 1}}}"""));
    }
})));
state = await manager.GetAsync(id);
Console.WriteLine(
    $"{tasks} tasks x {incrementsPerTask} increments: count {Count(state)} (+{tasks * incrementsPerTask} expected), " +
    $"version {state.Version}, {store.CommittedBatches - commitsBefore} SQLite commits");

var restored = await manager.RestoreAsync(id, point.Id);
Console.WriteLine($"Restored recovery point {point.Id}: count {Count(restored)} again, as version {restored.Version}");
Console.WriteLine($"Recovery points of {id}, newest first: {string.Join(", ", (await manager.ListRecoveryPointsAsync(id)).Select(p => $"{p.Id} (v{p.Version})"))}");

static long Count(ContextState state) => state.Data.GetProperty("count").GetInt64();
