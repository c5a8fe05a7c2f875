using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Acorn.Server.Tests;

/// <summary>Bodies whose text is not Unicode, and control characters in what errors quote: 400, stored exactly or not at all.</summary>
public sealed class TextEncodingTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, byte[]> NotUnicode => new()
    {
        { "a byte that is not UTF-8 in data", Body("{\"id\":\"ID\",\"data\":{\"note\":\"", [0xC3, 0x28], "\"}}") },
        { "an encoded surrogate (CESU-8) in data", Body("{\"id\":\"ID\",\"data\":{\"note\":\"", [0xED, 0xA0, 0x80], "\"}}") },
        { "an unpaired surrogate escape in data", Body("{\"id\":\"ID\",\"data\":{\"note\":\"\\ud800\"}}") },
        { "an unpaired surrogate escape in a data key", Body("{\"id\":\"ID\",\"data\":{\"\\udc00\":1}}") },
        { "an unpaired surrogate escape in metadata", Body("{\"id\":\"ID\",\"data\":{},\"metadata\":{\"k\":\"\\ud800\"}}") },
        { "an unpaired surrogate escape in the id", Body("{\"id\":\"ID\\ud800\",\"data\":{}}") },
    };

    [Theory]
    [MemberData(nameof(NotUnicode))]
    public async Task A_body_that_is_not_unicode_is_400_and_creates_nothing(string what, byte[] template)
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("text");

        var response = await client.PostAsync("/contexts", Bytes(template, id), Ct);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        var problem = await response.ReadProblemAsync();
        Assert.Equal("body", problem.GetProperty("field").GetString());
        Assert.Matches("UTF-8|surrogate", problem.GetProperty("detail").GetString()!);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/contexts/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_put_that_is_not_utf8_is_400_and_changes_nothing()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("text");
        await client.CreateAsync(id, """{"note":"kept"}""");

        var response = await client.PutAsync($"/contexts/{id}", Bytes(Body("{\"data\":{\"note\":\"", [0xFF], "\"}}"), id), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var state = await (await client.GetAsync($"/contexts/{id}", Ct)).ReadJsonAsync();
        Assert.Equal(1, state.GetProperty("version").GetInt64());
        Assert.Equal("kept", state.GetProperty("data").GetProperty("note").GetString());
    }

    [Fact]
    public async Task Text_that_is_unicode_round_trips_exactly()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("text");

        var created = await client.PostAsync(
            "/contexts", Bytes(Body("{\"id\":\"ID\",\"data\":{\"emoji\":\"\\ud83d\\ude00\",\"raw\":\"\u00e9\U0001F600\\\\ud800\"}}"), id), Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var data = (await (await client.GetAsync($"/contexts/{id}", Ct)).ReadJsonAsync()).GetProperty("data");
        Assert.Equal("\U0001F600", data.GetProperty("emoji").GetString());
        Assert.Equal("\u00e9\U0001F600\\ud800", data.GetProperty("raw").GetString());
    }

    [Fact]
    public async Task Errors_quote_field_names_and_query_values_with_control_characters_escaped()
    {
        using var client = server.CreateClient();

        var unknownField = await (await client.PostAsync("/contexts", Http.Json("""{"id":"x","fake\nline":1}"""), Ct)).ReadProblemAsync();
        var badLimit = await (await client.GetAsync("/contexts?limit=1%0D%0Aforged", Ct)).ReadProblemAsync();

        Assert.Contains(@"'fake\nline'", unknownField.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(@"'1\r\nforged'", badLimit.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(unknownField.GetProperty("detail").GetString()!, char.IsControl);
        Assert.DoesNotContain(badLimit.GetProperty("detail").GetString()!, char.IsControl);
    }

    private static byte[] Body(string before, byte[] middle, string after) => [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];

    private static byte[] Body(string json) => Encoding.UTF8.GetBytes(json);

    private static ByteArrayContent Bytes(byte[] template, string id)
    {
        var placeholder = "ID"u8;
        var at = template.AsSpan().IndexOf(placeholder);
        var content = new ByteArrayContent(at < 0 ? template : [.. template[..at], .. Encoding.UTF8.GetBytes(id), .. template[(at + placeholder.Length)..]]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
