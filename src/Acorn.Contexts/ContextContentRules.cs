using Acorn.Contexts.Internal;

namespace Acorn.Contexts;

/// <summary>The checks every context write passes: for implementations of <see cref="IContextManager"/> and their storage.</summary>
public static class ContextContentRules
{
    /// <summary>Throws when <paramref name="content"/> breaks a limit of <paramref name="options"/> or is not a JSON object.</summary>
    /// <param name="contextId">The context the content is for, named in the error.</param>
    /// <param name="content">The content.</param>
    /// <param name="options">The limits (<see cref="ContextOptions.MaxDataBytes"/>, <see cref="ContextOptions.MaxDataDepth"/>).</param>
    /// <exception cref="InvalidContextDataException">The content is not acceptable; the message says why.</exception>
    public static void ThrowIfInvalid(string contextId, ContextContent content, ContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ = ContextContentValidator.Validate(contextId, content, options);
    }
}
