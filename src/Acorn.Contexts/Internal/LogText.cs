using System.Buffers;
using System.Globalization;
using System.Text;

namespace Acorn.Contexts.Internal;

/// <summary>
/// Makes caller-supplied text (an id, a field name, a header) safe to quote in an error message or a log line: control
/// characters and line separators become escapes, so the text can neither start a forged log line nor hide in one.
/// </summary>
internal static class LogText
{
    // C0, DEL, C1 (which includes NEL) and the Unicode line and paragraph separators, which some viewers break lines at.
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c)) + "\u2028\u2029");

    /// <summary>Returns <paramref name="text"/> with every control character written as <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\uXXXX</c>.</summary>
    public static string Escape(string text)
    {
        var next = text.AsSpan().IndexOfAny(Unsafe);
        if (next < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        var rest = text.AsSpan();
        while (next >= 0)
        {
            escaped.Append(rest[..next]);
            _ = rest[next] switch
            {
                '\n' => escaped.Append("\\n"),
                '\r' => escaped.Append("\\r"),
                '\t' => escaped.Append("\\t"),
                var c => escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
            };
            rest = rest[(next + 1)..];
            next = rest.IndexOfAny(Unsafe);
        }

        return escaped.Append(rest).ToString();
    }
}
