using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Acorn.Client.Wire;

namespace Acorn.Client.Internal;

/// <summary>Reads answers with the client's generated JSON contracts.</summary>
internal static class HttpContentExtensions
{
    public static async Task<T> ReadAsync<T>(this HttpContent content, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException($"The server answered null where a {typeof(T).Name} was expected.");
        }
    }

    public static async Task<JsonElement> ReadFromJsonElementAsync(this HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, ClientJson.Default.JsonElement, cancellationToken).ConfigureAwait(false);
        }
    }
}
