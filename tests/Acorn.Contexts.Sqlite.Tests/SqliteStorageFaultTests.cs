namespace Acorn.Contexts.Sqlite.Tests;

/// <summary>Real storage faults under a real SQLite file: an immutable (read-only) file or directory, a read-only file system and a full disk.</summary>
public sealed class SqliteStorageFaultTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly List<string> _cleanup = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadOnlyFile_FailsWritesClearly_ShowsNothing_AndTheStoreRecoversWhenWritable()
    {
        var manager = await OpenManagerAsync(_database.Path);
        await manager.CreateAsync("a", ContextContent.Parse("""{"n":1}"""), Ct);
        string[] files = [_database.Path, _database.Path + "-wal"];
        Shell.Run("chattr", ["+i", .. files]);
        _cleanup.Add("chattr -i " + string.Join(' ', files));

        var error = await Assert.ThrowsAsync<ContextStoreException>(async () => await manager.UpdateAsync("a", ContextContent.Parse("""{"n":2}"""), cancellationToken: Ct));
        await Assert.ThrowsAsync<ContextStoreException>(async () => await manager.CreateAsync("b", ContextContent.Parse("{}"), Ct));

        Assert.Equal("a", error.ContextId);
        Assert.Equal(1, (await manager.GetAsync("a", Ct)).Version);
        Assert.Null(await manager.FindAsync("b", Ct));

        Shell.Run("chattr", ["-i", .. files]);
        var recovered = await manager.UpdateAsync("a", ContextContent.Parse("""{"n":3}"""), cancellationToken: Ct);
        Assert.Equal(2, recovered.Version);
        await DisposeStoreAsync();
        var reopened = await OpenManagerAsync(_database.Path);
        var persisted = await reopened.GetAsync("a", Ct);
        Assert.Equal((2L, 3), (persisted.Version, persisted.Data.GetProperty("n").GetInt32()));
        Assert.Null(await reopened.FindAsync("b", Ct));
    }

    [Fact]
    public async Task FullDisk_FailsWritesClearly_ShowsNothing_AndTheStoreRecoversWhenSpaceReturns()
    {
        var mount = Path.Combine(_database.Folder, "small-disk");
        Directory.CreateDirectory(mount);
        Shell.Run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount);
        _cleanup.Add("umount -l " + mount);
        var path = Path.Combine(mount, "acorn.db");
        var manager = await OpenManagerAsync(path);
        await manager.CreateAsync("a", ContextContent.Parse("""{"n":1}"""), Ct);
        var filler = Path.Combine(mount, "filler");
        await FillAsync(filler);

        var blob = new string('x', 256 * 1024);
        var error = await Assert.ThrowsAsync<ContextStoreException>(
            async () => await manager.UpdateAsync("a", ContextContent.Parse($$"""{"n":2,"blob":"{{blob}}"}"""), cancellationToken: Ct));

        Assert.Contains("full", error.InnerException!.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, (await manager.GetAsync("a", Ct)).Version);

        File.Delete(filler);
        var recovered = await manager.UpdateAsync("a", ContextContent.Parse($$"""{"n":3,"blob":"{{blob}}"}"""), cancellationToken: Ct);
        Assert.Equal(2, recovered.Version);
        await DisposeStoreAsync();
        var persisted = await (await OpenManagerAsync(path)).GetAsync("a", Ct);
        Assert.Equal((2L, 3), (persisted.Version, persisted.Data.GetProperty("n").GetInt32()));
        await DisposeStoreAsync();
    }

    [Fact]
    public void ImmutableDirectory_WithNoDatabaseYet_IsRefused_SayingTheDirectoryMustTakeNewFiles()
    {
        MakeImmutable(_database.Folder);

        var error = Assert.Throws<ContextStoreException>(() => new SqliteContextStore(new SqliteContextStoreOptions { Path = _database.Path }));

        AssertSaysTheDirectoryIsUnusable(error, _database.Folder, "Operation not permitted");
    }

    [Fact]
    public async Task ImmutableDirectory_OfAnExistingDatabase_IsRefused_SayingTheWriteAheadLogNeedsIt()
    {
        var manager = await OpenManagerAsync(_database.Path);
        await manager.CreateAsync("a", ContextContent.Parse("""{"n":1}"""), Ct);
        await DisposeStoreAsync();
        MakeImmutable(_database.Folder);

        var error = Assert.Throws<ContextStoreException>(() => new SqliteContextStore(new SqliteContextStoreOptions { Path = _database.Path }));

        AssertSaysTheDirectoryIsUnusable(error, _database.Folder, "Operation not permitted");
    }

    [Fact]
    public async Task ImmutableDatabaseFile_IsRefused_AtOpen_NotAtTheFirstWrite()
    {
        var manager = await OpenManagerAsync(_database.Path);
        await manager.CreateAsync("a", ContextContent.Parse("""{"n":1}"""), Ct);
        await DisposeStoreAsync();
        MakeImmutable(_database.Path);

        var error = Assert.Throws<ContextStoreException>(() => new SqliteContextStore(new SqliteContextStoreOptions { Path = _database.Path }));

        Assert.Contains($"'{_database.Path}' cannot be written", error.Message, StringComparison.Ordinal);
        Assert.Contains("Operation not permitted", error.Message, StringComparison.Ordinal);
        Assert.Contains("immutable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOnlyFileSystem_IsRefused_SayingSo()
    {
        var mount = Path.Combine(_database.Folder, "read-only");
        Directory.CreateDirectory(mount);
        Shell.Run("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", mount);
        _cleanup.Add("umount -l " + mount);

        var error = Assert.Throws<ContextStoreException>(
            () => new SqliteContextStore(new SqliteContextStoreOptions { Path = Path.Combine(mount, "acorn.db") }));

        AssertSaysTheDirectoryIsUnusable(error, mount, "Read-only file system");
    }

    public void Dispose()
    {
        foreach (var command in _cleanup)
        {
            var parts = command.Split(' ');
            try
            {
                Shell.Run(parts[0], parts[1..]);
            }
            catch (InvalidOperationException)
            {
                // Already undone by the test itself.
            }
        }

        _database.Dispose();
    }

    private SqliteContextStore? _store;

    private static void AssertSaysTheDirectoryIsUnusable(ContextStoreException error, string directory, string systemReason)
    {
        Assert.Contains($"data directory '{directory}' cannot be used", error.Message, StringComparison.Ordinal);
        Assert.Contains(systemReason, error.Message, StringComparison.Ordinal);
        Assert.Contains("'acorn.db-wal'", error.Message, StringComparison.Ordinal);
    }

    private void MakeImmutable(string path)
    {
        Shell.Run("chattr", "+i", path);
        _cleanup.Add("chattr -i " + path);
    }

    private async Task<ContextManager> OpenManagerAsync(string path)
    {
        _store = new SqliteContextStore(new SqliteContextStoreOptions { Path = path });
        var manager = new ContextManager(_store, new ContextOptions { MaxDataBytes = 4 * 1024 * 1024 });
        await manager.InitializeAsync(Ct);
        return manager;
    }

    private async Task DisposeStoreAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
            _store = null;
        }
    }

    private static async Task FillAsync(string path)
    {
        var chunk = new byte[64 * 1024];
        await using var file = new FileStream(path, FileMode.Create);
        try
        {
            while (true)
            {
                await file.WriteAsync(chunk, Ct);
                await file.FlushAsync(Ct);
            }
        }
        catch (IOException)
        {
            // The disk is full: exactly the fault wanted.
        }
    }
}
