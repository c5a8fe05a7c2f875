using System.Net;
using System.Text.Json;

namespace Acorn.Server.Tests;

/// <summary><c>"timeToLive"</c> in create and replace bodies: an ISO 8601 duration or null for never, shown by <c>expiresAt</c>.</summary>
public sealed class TimeToLiveRoutesTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_time_to_live_sets_expiresAt_a_replace_without_one_keeps_it_and_null_clears_it()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("ttl");

        var created = await (await client.PostAsync("/contexts", Http.Json($$"""{"id":"{{id}}","data":{},"timeToLive":"PT30M"}"""), Ct)).ReadJsonAsync();
        var kept = await (await client.PutAsync($"/contexts/{id}", Http.Json("""{"data":{"n":1}}"""), Ct)).ReadJsonAsync();
        var longer = await (await client.PutAsync($"/contexts/{id}", Http.Json("""{"data":{"n":2},"timeToLive":"P7DT12H"}"""), Ct)).ReadJsonAsync();
        var cleared = await (await client.PutAsync($"/contexts/{id}", Http.Json("""{"data":{"n":3},"timeToLive":null}"""), Ct)).ReadJsonAsync();

        Assert.Equal(Time(created, "updatedAt").AddMinutes(30), Time(created, "expiresAt"));
        Assert.Equal(Time(created, "expiresAt"), Time(kept, "expiresAt"));
        Assert.Equal(Time(longer, "updatedAt").AddDays(7.5), Time(longer, "expiresAt"));
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("expiresAt").ValueKind);
    }

    [Theory]
    [InlineData("\"PT0S\"", "positive")]
    [InlineData("\"-PT5M\"", "positive")]
    [InlineData("\"P200Y\"", "100 years")]
    [InlineData("\"P99999999999D\"", "100 years")]
    [InlineData("\"thirty minutes\"", "ISO 8601")]
    [InlineData("1800", "ISO 8601")]
    public async Task A_time_to_live_that_is_not_a_positive_duration_within_100_years_is_400_and_creates_nothing(string value, string named)
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("bad-ttl");

        var response = await client.PostAsync("/contexts", Http.Json($$"""{"id":"{{id}}","data":{},"timeToLive":{{value}}}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        Assert.Equal("timeToLive", problem.GetProperty("field").GetString());
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/contexts/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_recovery_point_carries_the_state_it_captured()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("rp-state");
        var version = await client.CreatedVersionAsync(id, """{"n":1}""");

        var point = await (await client.PostAsync($"/contexts/{id}/recovery-points", null, Ct)).ReadJsonAsync();
        await client.PutAsync(id, """{"n":2}""");
        var listed = (await (await client.GetAsync($"/contexts/{id}/recovery-points", Ct)).ReadJsonAsync()).GetProperty("items")[0];

        foreach (var body in new[] { point, listed })
        {
            var state = body.GetProperty("state");
            Assert.Equal((id, version, 1), (state.GetProperty("id").GetString(), state.GetProperty("version").GetInt64(), state.GetProperty("data").GetProperty("n").GetInt32()));
        }
    }

    private static DateTimeOffset Time(JsonElement state, string name) => state.GetProperty(name).GetDateTimeOffset();
}
