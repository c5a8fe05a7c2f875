using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using Acorn.Contexts.Internal;

namespace Acorn.Server.Contracts;

/// <summary>
/// The <c>"timeToLive"</c> field of create and replace bodies: an ISO 8601 duration (<c>"PT30M"</c>, <c>"P7D"</c>) from
/// the write on, or <c>null</c> for never.
/// </summary>
internal static partial class TimeToLiveField
{
    /// <summary>The longest time to live accepted: 100 years, far past any session and well inside what a timestamp holds.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(36_500);

    public const string Name = "timeToLive";

    /// <summary>Reads the field; on failure the returned error is the response to send instead.</summary>
    public static (TimeSpan TimeToLive, IResult? Error) Read(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return (Timeout.InfiniteTimeSpan, null);
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Fail($"'{Name}' must be an ISO 8601 duration such as \"PT30M\", or null for never, not {JsonValueKinds.Describe(value.ValueKind)}.");
        }

        var text = value.GetString()!;
        TimeSpan duration;
        try
        {
            duration = XmlConvert.ToTimeSpan(text);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            // XmlConvert reports a duration too long for a TimeSpan as a format error too.
            return DurationSyntax().IsMatch(text)
                ? OutOfRange(text)
                : Fail($"'{Name}' must be an ISO 8601 duration such as \"PT30M\" or \"P7D\", not '{LogText.Escape(text)}'.");
        }

        if (duration <= TimeSpan.Zero)
        {
            return Fail($"'{Name}' must be positive, not '{LogText.Escape(text)}' (null means never).");
        }

        return duration > Max ? OutOfRange(text) : (duration, null);
    }

    private static (TimeSpan, IResult?) OutOfRange(string text) =>
        Fail($"'{Name}' must be at most 100 years (P36500D), not '{LogText.Escape(text)}'.");

    private static (TimeSpan, IResult?) Fail(string detail) => (default, Problems.BadRequest(Name, detail));

    [GeneratedRegex(@"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationSyntax();
}
