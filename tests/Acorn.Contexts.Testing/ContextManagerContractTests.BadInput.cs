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

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await manager.CreateAsync("b", null!, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await manager.UpdateAsync("a", (Func<ContextState, ContextContent>)null!, Ct));
        Assert.Throws<ArgumentNullException>(() => new ContextManager(null!));
    }

    [Fact]
    public async Task NullId_IsAnInvalidContextId_AsEveryMethodDocuments()
    {
        var manager = await NewManagerAsync();
        string id = null!;

        var errors = new List<InvalidContextIdException>
        {
            await Assert.ThrowsAsync<InvalidContextIdException>(async () => await manager.CreateAsync(id, Counter(1), Ct)),
            await Assert.ThrowsAsync<InvalidContextIdException>(async () => await manager.FindAsync(id, Ct)),
            await Assert.ThrowsAsync<InvalidContextIdException>(async () => await manager.GetAsync(id, Ct)),
            await Assert.ThrowsAsync<InvalidContextIdException>(async () => await manager.UpdateAsync(id, Counter(2), cancellationToken: Ct)),
            await Assert.ThrowsAsync<InvalidContextIdException>(async () => await manager.UpdateAsync(id, s => Counter(2), Ct)),
            await Assert.ThrowsAsync<InvalidContextIdException>(async () => await manager.DeleteAsync(id, cancellationToken: Ct)),
            await Assert.ThrowsAsync<InvalidContextIdException>(async () => await manager.CreateRecoveryPointAsync(id, Ct)),
            await Assert.ThrowsAsync<InvalidContextIdException>(async () => await manager.ListRecoveryPointsAsync(id, Ct)),
            await Assert.ThrowsAsync<InvalidContextIdException>(async () => await manager.RestoreAsync(id, 1, cancellationToken: Ct)),
        };

        Assert.All(errors, e => Assert.Null(e.ContextId));
        Assert.All(errors, e => Assert.Contains("null", e.Message, StringComparison.Ordinal));
        Assert.Equal(0, await manager.CountAsync(Ct));
    }

    [Theory]
    [InlineData("forged\n[Error] all data deleted", @"forged\n[Error] all data deleted")]
    [InlineData("bell\u0007and\u001b[31mred", @"bell\u0007and\u001B[31mred")]
    [InlineData("line\u2028separator\r", @"line\u2028separator\r")]
    public async Task InvalidId_WithControlCharacters_IsQuotedEscaped_SoItCannotForgeALogLine(string id, string quoted)
    {
        var manager = await NewManagerAsync();

        var error = await Assert.ThrowsAsync<InvalidContextIdException>(async () => await manager.CreateAsync(id, Counter(1), Ct));

        Assert.Contains($"'{quoted}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, c => char.IsControl(c) || c is '\u2028' or '\u2029');
        Assert.DoesNotContain(error.Reason, c => char.IsControl(c) || c is '\u2028' or '\u2029');
        Assert.Equal(id, error.ContextId);
    }

    public static TheoryData<string, byte[]> TextJsonCannotKeep => new()
    {
        { "unpaired high surrogate", Encoding.UTF8.GetBytes("""{"note":"\ud800"}""") },
        { "unpaired low surrogate in a key", Encoding.UTF8.GetBytes("""{"a\udc00":1}""") },
        { "surrogates in the wrong order", Encoding.UTF8.GetBytes("""{"n":["\ude00\ud83d"]}""") },
        { "a byte that is not UTF-8", [.. "{\"note\":\""u8, 0xC3, 0x28, .. "\"}"u8] },
        { "an encoded surrogate (CESU-8)", [.. "{\"note\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8] },
    };

    [Theory]
    [MemberData(nameof(TextJsonCannotKeep))]
    public async Task DataWithTextThatIsNotUnicode_IsRejected_NotAlteredOrCrashed(string what, byte[] json)
    {
        var manager = await NewManagerAsync();
        using var document = JsonDocument.Parse(json);

        var error = await Assert.ThrowsAsync<InvalidContextDataException>(
            async () => await manager.CreateAsync("text", new ContextContent(document.RootElement), Ct));

        Assert.True(error.Message.Contains("UTF-8", StringComparison.Ordinal) || error.Message.Contains("surrogate", StringComparison.Ordinal), $"{what}: {error.Message}");
        Assert.Null(await manager.FindAsync("text", Ct));
    }

    [Fact]
    public async Task EscapedSurrogatePairs_AndEscapedBackslashes_AreKeptExactly()
    {
        var manager = await NewManagerAsync();

        await manager.CreateAsync("text", Json("""{"emoji":"\ud83d\ude00","path":"C:\\ud800","both":"\\\ud83d\ude00"}"""), Ct);

        var data = (await manager.GetAsync("text", Ct)).Data;
        Assert.Equal("\U0001F600", data.GetProperty("emoji").GetString());
        Assert.Equal("C:\\ud800", data.GetProperty("path").GetString());
        Assert.Equal("\\\U0001F600", data.GetProperty("both").GetString());
    }

    [Fact]
    public async Task MetadataWithAnUnpairedSurrogate_IsRejected()
    {
        var manager = await NewManagerAsync();

        var error = await Assert.ThrowsAsync<InvalidContextDataException>(
            async () => await manager.CreateAsync("a", Json("{}", new Dictionary<string, string> { ["k\n"] = "broken \ud800" }), Ct));

        Assert.Contains("surrogate", error.Message, StringComparison.Ordinal);
        Assert.Contains("'k\\n'", error.Message, StringComparison.Ordinal);
        Assert.Null(await manager.FindAsync("a", Ct));
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
