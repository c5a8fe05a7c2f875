using System.Globalization;

namespace Acorn.Contexts.Patching;

/// <summary>A parsed JSON Pointer (RFC 6901): the empty pointer is the whole document, each token one step down.</summary>
internal sealed class JsonPointer
{
    private JsonPointer(string text, string[] tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    /// <summary>The pointer as written.</summary>
    public string Text { get; }

    /// <summary>The unescaped reference tokens (<c>~1</c> is <c>/</c>, <c>~0</c> is <c>~</c>); none for the whole document.</summary>
    public string[] Tokens { get; }

    /// <summary>Whether the pointer names the whole document.</summary>
    public bool IsRoot => Tokens.Length == 0;

    /// <summary>The last token: the member name or array index the pointer ends in.</summary>
    public string Last => Tokens[^1];

    /// <summary>Parses a pointer; <see langword="null"/> when it is not one (does not start with '/', or a '~' escapes neither 0 nor 1).</summary>
    public static JsonPointer? TryParse(string text)
    {
        if (text.Length == 0)
        {
            return new JsonPointer(text, []);
        }

        if (text[0] != '/')
        {
            return null;
        }

        var tokens = text[1..].Split('/');
        for (var i = 0; i < tokens.Length; i++)
        {
            if (Unescape(tokens[i]) is not { } token)
            {
                return null;
            }

            tokens[i] = token;
        }

        return new JsonPointer(text, tokens);
    }

    /// <summary>The pointer made of the first <paramref name="count"/> tokens, escaped again: where a walk down it stopped.</summary>
    public string Prefix(int count) =>
        string.Concat(Tokens.Take(count).Select(token => "/" + token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));

    /// <summary>Whether this pointer names a location strictly inside the one <paramref name="other"/> names.</summary>
    public bool IsInside(JsonPointer other) =>
        Tokens.Length > other.Tokens.Length && other.Tokens.AsSpan().SequenceEqual(Tokens.AsSpan(0, other.Tokens.Length));

    /// <summary>Reads an array index token: "0", or digits without a leading zero, within the range of an <see cref="int"/>.</summary>
    public static bool TryParseIndex(string token, out int index)
    {
        index = -1;
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    private static string? Unescape(string token)
    {
        var tilde = token.IndexOf('~', StringComparison.Ordinal);
        if (tilde < 0)
        {
            return token;
        }

        var unescaped = new System.Text.StringBuilder(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] != '~')
            {
                unescaped.Append(token[i]);
                continue;
            }

            // Only ~0 and ~1 are escapes; ~1 is read before ~0 so that "~01" is "~1", never "/" (RFC 6901 section 4).
            if (i + 1 >= token.Length || token[i + 1] is not ('0' or '1'))
            {
                return null;
            }

            unescaped.Append(token[i + 1] == '0' ? '~' : '/');
            i++;
        }

        return unescaped.ToString();
    }
}
