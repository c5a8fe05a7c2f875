using System.Text;
using System.Text.Json;

namespace Acorn.Contexts.Testing;

public abstract partial class ContextManagerContractTests
{
    public static TheoryData<string> InvalidIds => new()
    {
        string.Empty,
        ".hidden",
        "has space",
        "slash/inside",
        "emoji-\u2603",
        "percent%20",
        new string('a', 201),
    };

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public async Task InvalidIds_AreRejected_WithTheRuleNamed_AndNothingIsStored(string id)
    {
        var manager = await NewManagerAsync();

        var error = await Assert.ThrowsAsync<InvalidContextIdException>(async () => await manager.CreateAsync(id, Counter(1), Ct));

        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
        Assert.Equal(0, await manager.CountAsync(Ct));
        await Assert.ThrowsAsync<InvalidContextIdException>(async () => await manager.FindAsync(id, Ct));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("A-z_0.9:x")]
    [InlineData("200")]
    public async Task ValidIds_AreAccepted(string id)
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync(id, Counter(1), Ct);
        await manager.CreateAsync(new string('x', ContextId.MaxLength), Counter(1), Ct);
        Assert.Equal(2, await manager.CountAsync(Ct));
    }

    [Theory]
    [InlineData("[1,2]", "an array")]
    [InlineData("\"text\"", "a string")]
    [InlineData("42", "a number")]
    [InlineData("null", "null")]
    public async Task DataThatIsNotAJsonObject_IsRejected(string json, string described)
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("a", Counter(1), Ct);

        var error = await Assert.ThrowsAsync<InvalidContextDataException>(async () => await manager.UpdateAsync("a", Json(json), cancellationToken: Ct));

        Assert.Contains(described, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidContextDataException>(async () => await manager.CreateAsync("b", Json(json), Ct));
        Assert.Equal(1, (await manager.GetAsync("a", Ct)).Version);
        Assert.Null(await manager.FindAsync("b", Ct));
    }

    [Fact]
    public async Task TenMegabytesOfData_IsRejected_WithTheLimitNamed_AndAConfiguredLimitAllowsIt()
    {
        var big = $$"""{"blob":"{{new string('x', 10 * 1024 * 1024)}}"}""";
        var manager = await NewManagerAsync();

        var error = await Assert.ThrowsAsync<InvalidContextDataException>(async () => await manager.CreateAsync("big", Json(big), Ct));

        Assert.Contains("1048576", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await manager.CountAsync(Ct));
        var roomy = await ReopenAsync(new ContextOptions { MaxDataBytes = 11 * 1024 * 1024 });
        var stored = await roomy.CreateAsync("big", Json(big), Ct);
        Assert.Equal(10 * 1024 * 1024, stored.Data.GetProperty("blob").GetString()!.Length);
    }

    [Fact]
    public async Task TenThousandDeepNesting_IsRejected_WithoutCrashing()
    {
        const int depth = 10_000;
        var json = new StringBuilder().Insert(0, "{\"a\":", depth).Append("{}").Append('}', depth).ToString();
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = depth + 10 });
        var element = document.RootElement;
        var manager = await NewManagerAsync();

        var error = await Assert.ThrowsAsync<InvalidContextDataException>(async () => await manager.CreateAsync("deep", new ContextContent(element), Ct));

        Assert.Contains("64", error.Message, StringComparison.Ordinal);
        Assert.Null(await manager.FindAsync("deep", Ct));
    }

    [Fact]
    public async Task NullArguments_ThrowArgumentNullException()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("a", Counter(1), Ct);

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await manager.CreateAsync(null!, Counter(1), Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await manager.CreateAsync("b", null!, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await manager.UpdateAsync("a", (Func<ContextState, ContextContent>)null!, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await manager.GetAsync(null!, Ct));
        Assert.Throws<ArgumentNullException>(() => new ContextManager(null!));
    }

    [Fact]
    public async Task MetadataWithEmptyKey_IsRejected()
    {
        var manager = await NewManagerAsync();
        var error = await Assert.ThrowsAsync<InvalidContextDataException>(
            async () => await manager.CreateAsync("a", Json("{}", new Dictionary<string, string> { [""] = "v" }), Ct));
        Assert.Contains("metadata", error.Message, StringComparison.Ordinal);
    }
}
