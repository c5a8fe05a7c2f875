using System.Buffers;

namespace Acorn.Contexts.Internal;

/// <summary>Reads JSON text that already parsed, to tell whether it is minified and how deep it nests, without a reader.</summary>
internal static class MinifiedText
{
    // What changes the scan's state: a string, a container opening or closing, or whitespace between tokens.
    private static readonly SearchValues<byte> Structural = SearchValues.Create("\"{}[] \t\r\n"u8);
    private static readonly SearchValues<byte> StringEnd = SearchValues.Create("\"\\"u8);

    /// <summary>
    /// Returns how many containers <paramref name="json"/> nests at its deepest (as <see cref="System.Text.Json.Utf8JsonWriter"/>
    /// counts depth), or -1 when it has whitespace between tokens and so is not minified.
    /// </summary>
    /// <param name="json">The text of one JSON value that parsed: its strings are closed and its containers balanced.</param>
    public static int Depth(ReadOnlySpan<byte> json)
    {
        int depth = 0, deepest = 0;
        for (var at = json.IndexOfAny(Structural); at >= 0;)
        {
            switch (json[at])
            {
                case (byte)'"':
                    at = AfterString(json, at + 1);
                    break;
                case (byte)'{' or (byte)'[':
                    deepest = Math.Max(deepest, ++depth);
                    at++;
                    break;
                case (byte)'}' or (byte)']':
                    depth--;
                    at++;
                    break;
                default:
                    return -1;
            }

            var next = at < json.Length ? json[at..].IndexOfAny(Structural) : -1;
            at = next < 0 ? -1 : at + next;
        }

        return deepest;
    }

    /// <summary>The index after the closing quote of the string whose content starts at <paramref name="at"/>.</summary>
    private static int AfterString(ReadOnlySpan<byte> json, int at)
    {
        while (true)
        {
            at += json[at..].IndexOfAny(StringEnd);
            if (json[at] == (byte)'"')
            {
                return at + 1;
            }

            // An escape: the backslash and the character after it (a quote or backslash included) belong to the string.
            at += 2;
        }
    }
}
