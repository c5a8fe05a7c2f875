using System.Text.Json;
using Acorn.Contexts;

namespace Acorn.Orleans;

/// <summary>What a create, update or restore puts into a context, in the form that crosses a grain boundary.</summary>
[GenerateSerializer, Immutable]
public sealed record ContextWrite
{
    /// <summary>The data: a JSON object, as text.</summary>
    [Id(0)] public required string DataJson { get; init; }

    /// <summary>String metadata.</summary>
    [Id(1)] public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// How long the context lives after this write: <see langword="null"/> keeps the current expiry (none on create),
    /// <see cref="Timeout.InfiniteTimeSpan"/> means never.
    /// </summary>
    [Id(2)] public TimeSpan? TimeToLive { get; init; }

    /// <summary>Checks <paramref name="content"/> and converts it for the grain.</summary>
    /// <param name="contextId">The context the content is for, named in errors.</param>
    /// <param name="content">The content.</param>
    /// <returns>The write.</returns>
    /// <exception cref="InvalidContextDataException">The data is not a JSON object, a metadata entry is empty or null, or the time to live is not positive.</exception>
    public static ContextWrite From(string contextId, ContextContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Data.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidContextDataException(contextId, $"data must be a JSON object, not {content.Data.ValueKind}");
        }

        if (content.TimeToLive is { } ttl && ttl <= TimeSpan.Zero && ttl != Timeout.InfiniteTimeSpan)
        {
            throw new InvalidContextDataException(contextId, $"a time to live must be positive or infinite, not {ttl}");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in content.Metadata ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrEmpty(key) || value is null)
            {
                throw new InvalidContextDataException(contextId, "metadata keys must not be empty and values must not be null");
            }

            metadata[key] = value;
        }

        return new ContextWrite { DataJson = content.Data.GetRawText(), Metadata = metadata, TimeToLive = content.TimeToLive };
    }
}
