using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Acorn.Contexts.Internal;
using Acorn.Contexts.Testing;
using CsCheck;

namespace Acorn.Contexts.Tests;

/// <summary>
/// Content from <see cref="ContextContent.Parse"/> whose text is already minified is stored as it is, and an update
/// function's result keeps its parse for the next function: the same limits hold as for content written out again.
/// </summary>
public sealed class ParsedContentTests : InMemoryContextTestBase
{
    [Fact]
    public async Task MinifiedText_IsStoredAsItIs_AndTheNextUpdateFunctionReadsTheSameDocument()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("x", ContextContent.Parse("""{"n":0,"s":"a b {[\"]} \\"}"""), Ct);
        ContextContent? written = null;

        await manager.UpdateAsync("x", s => written = ContextContent.Parse($$"""{"n":{{CounterOf(s) + 1}},"s":"é"}"""), Ct);
        var readByNext = default(JsonElement);
        await manager.UpdateAsync("x", s =>
        {
            readByNext = s.Data;
            return Increment(s);
        }, Ct);

        Assert.True(Unsafe.AreSame(
            ref MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(written!.Data)),
            ref MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(readByNext))));
        Assert.Equal("""{"n":1,"s":"é"}""", Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(readByNext)));
        Assert.Equal(2, CounterOf(await manager.GetAsync("x", Ct)));
    }

    [Fact]
    public async Task OneParsedContent_CreatesManyContexts_WhichShareItsText_AndChangeApart()
    {
        var manager = await NewManagerAsync();
        var first = ContextContent.Parse("""{"n":0}""");

        var created = new List<ContextState>();
        for (var i = 0; i < 3; i++)
        {
            created.Add(await manager.CreateAsync($"c{i}", first, Ct));
        }

        await manager.UpdateAsync("c1", Increment, Ct);
        await manager.UpdateAsync("c2", ContextContent.Parse("""{"n":5}"""), cancellationToken: Ct);

        Assert.All(created, s => Assert.Same(created[0].SharedUtf8Data, s.SharedUtf8Data));
        Assert.Equal("""{"n":0}""", Encoding.UTF8.GetString(first.SourceUtf8!));
        var counters = new List<long>();
        foreach (var id in new[] { "c0", "c1", "c2" })
        {
            counters.Add(CounterOf(await manager.GetAsync(id, Ct)));
        }

        Assert.Equal([0L, 1L, 5L], counters);
        var reopened = await ReopenAsync();
        Assert.Equal(0, CounterOf(await reopened.GetAsync("c0", Ct)));
    }

    [Fact]
    public async Task TextWithWhitespaceBetweenTokens_IsStoredMinified()
    {
        var manager = await NewManagerAsync();

        await manager.CreateAsync("x", ContextContent.Parse("{ \"a\" : [ 1 ,\n 2 ], \"s\":\"x y\" }"), Ct);
        var updated = await manager.UpdateAsync("x", _ => ContextContent.Parse("{\t\"b\":{\"c\" :true}}"), Ct);

        Assert.Equal("""{"b":{"c":true}}""", Encoding.UTF8.GetString(updated.Utf8Data));
        var reopened = await ReopenAsync();
        Assert.Equal("""{"b":{"c":true}}""", Encoding.UTF8.GetString((await reopened.GetAsync("x", Ct)).Utf8Data));
    }

    [Fact]
    public async Task ACopyWithOtherData_StoresTheCopysData()
    {
        var manager = await NewManagerAsync();
        var original = ContextContent.Parse("""{"a":1}""");

        var state = await manager.CreateAsync("x", original with { Data = ContextContent.Parse("""{"b":2}""").Data }, Ct);

        Assert.Equal("""{"b":2}""", Encoding.UTF8.GetString(state.Utf8Data));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheDepthLimit_IsTheSame_ForMinifiedTextAndForTextWrittenOut(bool spaced)
    {
        var manager = await NewManagerAsync(new ContextOptions { MaxDataDepth = 4 });
        var deepest = Nested(4, spaced);
        var tooDeep = Nested(5, spaced);

        await manager.CreateAsync("x", ContextContent.Parse(deepest), Ct);
        await manager.UpdateAsync("x", ContextContent.Parse(deepest), cancellationToken: Ct);
        await manager.UpdateAsync("x", _ => ContextContent.Parse(deepest), Ct);

        foreach (var write in new Func<Task>[]
        {
            () => manager.CreateAsync("y", ContextContent.Parse(tooDeep), Ct).AsTask(),
            () => manager.UpdateAsync("x", ContextContent.Parse(tooDeep), cancellationToken: Ct).AsTask(),
            () => manager.UpdateAsync("x", _ => ContextContent.Parse(tooDeep), Ct).AsTask(),
        })
        {
            var error = await Assert.ThrowsAsync<InvalidContextDataException>(write);
            Assert.Contains("deeper than the limit of 4", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(3, (await manager.GetAsync("x", Ct)).Version);
        Assert.Null(await manager.FindAsync("y", Ct));
    }

    [Fact]
    public async Task TheSizeLimit_CountsTheStoredText()
    {
        var manager = await NewManagerAsync(new ContextOptions { MaxDataBytes = 18 });

        await manager.CreateAsync("x", ContextContent.Parse("{ \"a\" :  \"0123456789\" }"), Ct);
        var error = await Assert.ThrowsAsync<InvalidContextDataException>(
            async () => await manager.UpdateAsync("x", _ => ContextContent.Parse("""{"a":"01234567890"}"""), Ct));

        Assert.Contains("19 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MinifiedTextDepth_AgreesWithTheReader_OnRandomDocuments()
    {
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var spaced = random.Next(3) == 0;
            var text = RandomValue(random, random.Next(1, 8), spaced);
            var utf8 = Encoding.UTF8.GetBytes(text);

            var expected = spaced && HasWhitespaceBetweenTokens(utf8) ? -1 : DeepestByReader(utf8);
            Assert.True(expected == MinifiedText.Depth(utf8), $"{text}: expected {expected}, got {MinifiedText.Depth(utf8)}");
        }, iter: 5_000);
    }

    private static string Nested(int depth, bool spaced)
    {
        var separator = spaced ? " " : "";
        var text = new StringBuilder();
        for (var i = 0; i < depth - 1; i++)
        {
            text.Append(i % 2 == 0 ? $"{{{separator}\"a\":{separator}" : $"[{separator}");
        }

        text.Append("{}");
        for (var i = depth - 2; i >= 0; i--)
        {
            text.Append(separator).Append(i % 2 == 0 ? '}' : ']');
        }

        return text.ToString();
    }

    private static string RandomValue(Random random, int depth, bool spaced)
    {
        var space = spaced && random.Next(2) == 0 ? " \n\t\r"[random.Next(4)].ToString() : "";
        return (depth <= 1 ? random.Next(3) + 2 : random.Next(5)) switch
        {
            0 => "{" + space + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => $"{JsonString(random)}{space}:{RandomValue(random, depth - 1, spaced)}")) + space + "}",
            1 => "[" + string.Join("," + space, Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(random, depth - 1, spaced))) + "]",
            2 => JsonString(random),
            3 => random.Next(-1000, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => space + (random.Next(2) == 0 ? "true" : "null"),
        };
    }

    // Written and rewritten with one encoder, so that only whitespace between tokens changes a text's length.
    private static readonly System.Text.Encodings.Web.JavaScriptEncoder Relaxed = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static readonly JsonSerializerOptions RelaxedOptions = new() { Encoder = Relaxed };

    // Strings full of what the scan must not take for structure: quotes and backslashes escaped, brackets, spaces.
    private static string JsonString(Random random) => JsonSerializer.Serialize(
        new string([.. Enumerable.Range(0, random.Next(6)).Select(_ => "a {}[]\"\\:,é\n"[random.Next(12)])]),
        RelaxedOptions);

    private static bool HasWhitespaceBetweenTokens(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Relaxed }))
        {
            document.RootElement.WriteTo(writer);
        }

        return buffer.WrittenCount != utf8.Length;
    }

    private static int DeepestByReader(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        var deepest = 0;
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                deepest = Math.Max(deepest, reader.CurrentDepth + 1);
            }
        }

        return deepest;
    }
}
