using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Acorn.Contexts.Internal;

/// <summary>
/// Finds text in JSON that System.Text.Json accepts but cannot keep: bytes that are not UTF-8 (which it would later
/// write as U+FFFD, silently changing the data) and <c>\uXXXX</c> escapes of unpaired UTF-16 surrogates (which it fails
/// to write or to read as a string with <see cref="InvalidOperationException"/>).
/// </summary>
internal static class JsonTextCheck
{
    /// <summary>Says what is wrong with <paramref name="json"/>, already parsed as JSON, or returns <see langword="null"/> when nothing is.</summary>
    /// <param name="json">The raw UTF-8 text of a JSON value that parsed.</param>
    /// <returns>A phrase such as "is not valid UTF-8 (byte 12)", to follow the name of what was checked.</returns>
    public static string? Explain(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return $"is not valid UTF-8 (byte {FirstInvalidByte(json)})";
        }

        // Valid JSON has backslashes only inside strings, each starting one escape, so stepping from escape to escape
        // never mistakes an escaped backslash for the start of another escape.
        for (var at = json.IndexOf((byte)'\\'); at >= 0;)
        {
            var length = 2;
            if (json[at + 1] == 'u')
            {
                var unit = Hex(json, at + 2);
                length = 6;
                if (char.IsHighSurrogate(unit) && at + 11 < json.Length && json[at + 6] == '\\' && json[at + 7] == 'u'
                    && char.IsLowSurrogate(Hex(json, at + 8)))
                {
                    length = 12;
                }
                else if (char.IsSurrogate(unit))
                {
                    return $"has an unpaired UTF-16 surrogate, \\u{(int)unit:X4} (byte {at}); a JSON string must be valid Unicode";
                }
            }

            var next = json[(at + length)..].IndexOf((byte)'\\');
            at = next < 0 ? -1 : at + length + next;
        }

        return null;
    }

    private static char Hex(ReadOnlySpan<byte> json, int at) =>
        Utf8Parser.TryParse(json.Slice(at, 4), out ushort unit, out _, 'X') ? (char)unit : '\0';

    private static int FirstInvalidByte(ReadOnlySpan<byte> json)
    {
        var at = 0;
        while (at < json.Length && Rune.DecodeFromUtf8(json[at..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            at += consumed;
        }

        return at;
    }
}
