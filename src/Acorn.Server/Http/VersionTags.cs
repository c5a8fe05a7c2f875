using System.Globalization;
using Acorn.Contexts.Internal;
using Microsoft.Net.Http.Headers;

namespace Acorn.Server;

/// <summary>Context versions as strong entity tags (<c>"3"</c>), and <c>If-Match</c> as an expected version.</summary>
internal static class VersionTags
{
    public static string Format(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Reads <c>If-Match</c>: absent or <c>*</c> expects nothing; one strong tag expects that version.</summary>
    /// <remarks>
    /// A weak tag or one that is not a version can never match a context's strong tag (RFC 9110 13.1.1), so it is
    /// reported as stale (412) rather than ignored: ignoring it would turn a compare-and-set into a blind write.
    /// </remarks>
    public static (long? Expected, IResult? Error) ReadIfMatch(HttpRequest request)
    {
        var values = request.Headers.IfMatch;
        if (values.Count == 0)
        {
            return (null, null);
        }

        if (!EntityTagHeaderValue.TryParseList(values, out var tags) || tags.Count == 0)
        {
            return (null, Problems.BadRequest("If-Match", $"If-Match '{LogText.Escape(values.ToString())}' is not a list of entity tags."));
        }

        if (tags.Count == 1 && tags[0].Equals(EntityTagHeaderValue.Any))
        {
            return (null, null);
        }

        if (tags.Count > 1)
        {
            return (null, Problems.BadRequest("If-Match", "If-Match must name one version; several are not supported."));
        }

        var tag = tags[0];
        if (tag.IsWeak || !long.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return (null, Problems.Respond(
                StatusCodes.Status412PreconditionFailed,
                "Version is stale",
                $"If-Match {tag} names no version of a context (versions are strong tags like \"3\"), so it cannot match.",
                new Dictionary<string, object?> { ["field"] = "If-Match" }));
        }

        return (version, null);
    }
}
