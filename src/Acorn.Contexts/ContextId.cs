using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Acorn.Contexts.Internal;

namespace Acorn.Contexts;

/// <summary>Validates context identifiers.</summary>
/// <remarks>
/// A valid id has 1 to 200 characters from <c>[A-Za-z0-9._:-]</c> and does not start with a dot. The rule keeps ids
/// safe to use as URL path segments, file names and SQL keys without escaping.
/// </remarks>
public static class ContextId
{
    /// <summary>The maximum length of a context id, in characters.</summary>
    public const int MaxLength = 200;

    // Vectorized: every read validates its id, so this check is on the hottest path.
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    /// <summary>Returns whether <paramref name="id"/> is a valid context id.</summary>
    /// <param name="id">The candidate id.</param>
    public static bool IsValid([NotNullWhen(true)] string? id) => Explain(id) is null;

    /// <summary>Throws <see cref="InvalidContextIdException"/> when <paramref name="id"/> is not a valid context id.</summary>
    /// <param name="id">The candidate id.</param>
    /// <exception cref="InvalidContextIdException">
    /// <paramref name="id"/> is <see langword="null"/> or breaks the id rules; the message says which.
    /// </exception>
    public static void Validate([NotNull] string? id)
    {
        var reason = Explain(id);
        if (id is null || reason is not null)
        {
            // Explain gives a reason for null too.
            throw new InvalidContextIdException(id, reason!);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> when no context id can start with <paramref name="prefix"/>.</summary>
    /// <param name="prefix">The prefix of a listing; <see langword="null"/> or empty means every id and is always valid.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="prefix"/> is longer than an id, starts with '.', or has a character no id has; the message says which.
    /// </exception>
    public static void ValidatePrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return;
        }

        if (Explain(prefix) is { } reason)
        {
            throw new ArgumentException($"No context id can start with '{LogText.Escape(prefix)}': {reason.Replace("a context id", "an id", StringComparison.Ordinal)}.", nameof(prefix));
        }
    }

    private static string? Explain(string? id)
    {
        if (id is null)
        {
            return "a context id is required, not null";
        }

        if (id.Length == 0)
        {
            return "a context id must not be empty";
        }

        if (id.Length > MaxLength)
        {
            return $"a context id has at most {MaxLength} characters, this one has {id.Length}";
        }

        if (id[0] == '.')
        {
            return "a context id must not start with '.'";
        }

        var bad = id.AsSpan().IndexOfAnyExcept(Allowed);
        return bad < 0 ? null : $"a context id may contain only A-Z, a-z, 0-9, '.', '_', ':' and '-'; found '{LogText.Escape(id[bad].ToString())}'";
    }
}
