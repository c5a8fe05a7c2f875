using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Acorn.Server.Tests;

/// <summary>Small request and response helpers for the contract tests.</summary>
internal static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

    public static async Task<JsonElement> ReadProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.ReadJsonAsync();
    }

    public static Task<HttpResponseMessage> CreateAsync(this HttpClient client, string id, string data = "{}") =>
        client.PostAsync("/contexts", Json($$"""{"id":"{{id}}","data":{{data}}}"""), TestContext.Current.CancellationToken);

    /// <summary>
    /// Creates a context and returns its first version: 1 on a fresh server, higher once any context was deleted there
    /// (versions never repeat for an id), so tests that share a server count from what the create answered.
    /// </summary>
    public static async Task<long> CreatedVersionAsync(this HttpClient client, string id, string data = "{}")
    {
        using var created = await client.CreateAsync(id, data);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        return (await created.ReadJsonAsync()).GetProperty("version").GetInt64();
    }

    public static Task<HttpResponseMessage> PutAsync(this HttpClient client, string id, string data, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/contexts/{id}") { Content = Json($$"""{"data":{{data}}}""") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public const string MergePatch = "application/merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";

    public static Task<HttpResponseMessage> PatchAsync(this HttpClient client, string id, string mediaType, string patch, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/contexts/{id}") { Content = new StringContent(patch, Encoding.UTF8, mediaType) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static Task<HttpResponseMessage> DeleteAsync(this HttpClient client, string id, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/contexts/{id}");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static string? ETag(this HttpResponseMessage response) => response.Headers.ETag?.ToString();

    /// <summary>
    /// The version a response's strong ETag names. A new context's first version is 1 only until the store deletes
    /// something (versions never repeat for an id), so tests count from the version a create answered.
    /// </summary>
    public static long Version(this HttpResponseMessage response) =>
        long.Parse(response.Headers.ETag!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The strong ETag of <paramref name="version"/>: <c>"&lt;version&gt;"</c>.</summary>
    public static string ETagOf(long version) => $"\"{version}\"";

    public static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
