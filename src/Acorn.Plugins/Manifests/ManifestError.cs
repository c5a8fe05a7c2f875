namespace Acorn.Plugins.Manifests;

/// <summary>One problem with one field of a <c>plugin.json</c>.</summary>
/// <param name="Field">The JSON field, for example <c>version</c> or <c>dependencies.other.id</c>; <c>$</c> for the whole document.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record class ManifestError(string Field, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Field}: {Message}";
}
