using System.Text.RegularExpressions;

namespace Acorn.Plugins.Manifests;

/// <summary>The rule for plugin ids, shared by the manifest and its dependency keys.</summary>
internal static partial class PluginIds
{
    /// <summary>Ids become folder-like keys and log scopes, so they are kept short and unambiguous.</summary>
    public const int MaxLength = 128;

    public static bool IsValid(string id) => id.Length <= MaxLength && Pattern().IsMatch(id);

    public const string Rule = "lower-case letters and digits separated by single '.', '-' or '_', at most 128 characters (for example \"acme.hello\")";

    [GeneratedRegex("^[a-z0-9]+(?:[._-][a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
