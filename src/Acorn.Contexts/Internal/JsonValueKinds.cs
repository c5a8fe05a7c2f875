using System.Text.Json;

namespace Acorn.Contexts.Internal;

/// <summary>JSON value kinds as error messages name them.</summary>
internal static class JsonValueKinds
{
    /// <summary>"an array", "a string", "null"...</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Undefined => "nothing",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => $"a {kind.ToString().ToLowerInvariant()}",
    };
}
