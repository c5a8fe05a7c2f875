using Microsoft.Extensions.Time.Testing;

namespace Acorn.Contexts.Testing;

/// <summary>The behaviour every <see cref="IPluginStateStore"/> must have: derive once per store.</summary>
public abstract class PluginStateStoreContractTests
{
    /// <summary>A fake clock that starts at 2026-01-01 and moves only when a test advances it.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens the store under test, using <see cref="Time"/> as its clock.</summary>
    protected abstract ValueTask<IPluginStateStore> OpenAsync();

    [Fact]
    public async Task EachSave_ReplacesTheState_AndAddsOneToTheVersion()
    {
        var store = await OpenAsync();
        Assert.Null(await store.GetAsync("p", Ct));

        var first = await store.SaveAsync("p", "one"u8.ToArray(), Ct);
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = await store.SaveAsync("p", "two"u8.ToArray(), Ct);

        Assert.Equal((1L, 2L), (first.Version, second.Version));
        var read = await store.GetAsync("p", Ct);
        Assert.NotNull(read);
        Assert.Equal(("p", "two", 2L, Time.GetUtcNow()), (read.PluginId, Text(read), read.Version, read.UpdatedAt));
    }

    [Fact]
    public async Task Delete_ForgetsTheState_AndTheNextSaveStartsAgainAtVersionOne()
    {
        var store = await OpenAsync();
        await store.SaveAsync("p", "x"u8.ToArray(), Ct);
        await store.SaveAsync("other", "y"u8.ToArray(), Ct);

        Assert.True(await store.DeleteAsync("p", Ct));
        Assert.False(await store.DeleteAsync("p", Ct));

        Assert.Null(await store.GetAsync("p", Ct));
        Assert.Equal("y", Text((await store.GetAsync("other", Ct))!));
        Assert.Equal(1, (await store.SaveAsync("p", "z"u8.ToArray(), Ct)).Version);
    }

    [Fact]
    public async Task TheStoreKeepsACopy_SoTheCallerMayReuseItsBuffer()
    {
        var store = await OpenAsync();
        var buffer = "abc"u8.ToArray();

        await store.SaveAsync("p", buffer, Ct);
        buffer[0] = (byte)'X';

        Assert.Equal("abc", Text((await store.GetAsync("p", Ct))!));
    }

    [Fact]
    public async Task EmptyState_IsStateToo()
    {
        var store = await OpenAsync();

        await store.SaveAsync("p", ReadOnlyMemory<byte>.Empty, Ct);

        var read = await store.GetAsync("p", Ct);
        Assert.NotNull(read);
        Assert.Equal(0, read.State.Length);
    }

    [Fact]
    public async Task AnEmptyPluginId_IsRefused()
    {
        var store = await OpenAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync("", "x"u8.ToArray(), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync("", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync("", Ct));
    }

    private static string Text(PluginStateRecord record) => System.Text.Encoding.UTF8.GetString(record.State.Span);
}
