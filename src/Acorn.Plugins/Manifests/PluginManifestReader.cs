using System.Text.Json;
using Semver;

namespace Acorn.Plugins.Manifests;

/// <summary>Reads and validates <c>plugin.json</c>, reporting every bad field rather than the first.</summary>
/// <remarks>
/// Validation is by hand instead of by deserialization so that each error names its field and says what
/// was expected; unknown fields are errors because a misspelt optional field would otherwise be silently ignored.
/// </remarks>
public static class PluginManifestReader
{
    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "id", "name", "version", "description", "authors", "entryAssembly", "entryType", "hostApi", "dependencies", "capabilities",
    };

    /// <summary>Reads a manifest from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The content of <c>plugin.json</c>.</param>
    /// <returns>The manifest, or the errors found.</returns>
    public static ManifestReadResult Read(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return ManifestReadResult.Invalid([new ManifestError("$", $"not valid JSON: {ex.Message}")]);
        }

        using (document)
        {
            return Validate(document.RootElement);
        }
    }

    /// <summary>Reads a manifest from JSON text.</summary>
    /// <param name="json">The content of <c>plugin.json</c>.</param>
    /// <returns>The manifest, or the errors found.</returns>
    public static ManifestReadResult Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(System.Text.Encoding.UTF8.GetBytes(json));
    }

    private static ManifestReadResult Validate(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ManifestReadResult.Invalid([new ManifestError("$", $"expected a JSON object, found {Describe(root.ValueKind)}")]);
        }

        var errors = new List<ManifestError>();
        foreach (var property in root.EnumerateObject())
        {
            if (!KnownFields.Contains(property.Name))
            {
                errors.Add(new ManifestError(property.Name, $"unknown field; known fields are {string.Join(", ", KnownFields)}"));
            }
        }

        var id = RequiredString(root, "id", errors);
        if (id is not null && !PluginIds.IsValid(id))
        {
            errors.Add(new ManifestError("id", $"'{id}' is not a valid id: {PluginIds.Rule}"));
        }

        var name = RequiredString(root, "name", errors);
        var version = RequiredString(root, "version", errors);
        if (version is not null && !SemVersion.TryParse(version, SemVersionStyles.Strict, out _))
        {
            errors.Add(new ManifestError("version", $"'{version}' is not a SemVer 2.0 version (for example \"1.2.0\" or \"2.0.0-beta.1\")"));
        }

        var description = OptionalString(root, "description", errors) ?? "";
        var authors = OptionalStringArray(root, "authors", errors);
        var entryAssembly = RequiredString(root, "entryAssembly", errors);
        if (entryAssembly is not null)
        {
            ValidateEntryAssembly(entryAssembly, errors);
        }

        var entryType = OptionalString(root, "entryType", errors);
        if (entryType is not null && entryType.Trim().Length == 0)
        {
            errors.Add(new ManifestError("entryType", "must not be empty; leave it out to use the assembly's only IPlugin type"));
        }

        var hostApi = OptionalString(root, "hostApi", errors);
        if (hostApi is not null && !SemVersionRange.TryParseNpm(hostApi, out _))
        {
            errors.Add(new ManifestError("hostApi", $"'{hostApi}' is not a version range (for example \">=1.0.0 <2.0.0\" or \"^1.0\")"));
        }

        var dependencies = Dependencies(root, id, errors);
        var capabilities = Capabilities(root, errors);

        if (errors.Count > 0)
        {
            return ManifestReadResult.Invalid(errors);
        }

        return ManifestReadResult.Valid(new PluginManifest
        {
            Id = id!,
            Name = name!,
            Version = version!,
            Description = description,
            Authors = authors,
            EntryAssembly = entryAssembly!,
            EntryType = entryType,
            HostApi = hostApi,
            Dependencies = dependencies,
            Capabilities = capabilities,
        });
    }

    private static void ValidateEntryAssembly(string entryAssembly, List<ManifestError> errors)
    {
        // The folder check at discovery resolves symlinks; this one catches the obvious escapes early and names the field.
        var segments = entryAssembly.Split('/', '\\');
        if (Path.IsPathRooted(entryAssembly) || entryAssembly.StartsWith('/') || entryAssembly.StartsWith('\\'))
        {
            errors.Add(new ManifestError("entryAssembly", $"'{entryAssembly}' must be a path relative to the plugin folder"));
        }
        else if (segments.Any(s => s == ".."))
        {
            errors.Add(new ManifestError("entryAssembly", $"'{entryAssembly}' must not leave the plugin folder ('..')"));
        }
        else if (!entryAssembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new ManifestError("entryAssembly", $"'{entryAssembly}' must name a .dll file"));
        }
    }

    private static Dictionary<string, string> Dependencies(JsonElement root, string? selfId, List<ManifestError> errors)
    {
        var dependencies = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("dependencies", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return dependencies;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ManifestError("dependencies", $"expected an object of plugin id to version range, found {Describe(element.ValueKind)}"));
            return dependencies;
        }

        foreach (var dependency in element.EnumerateObject())
        {
            var field = $"dependencies.{dependency.Name}";
            if (!PluginIds.IsValid(dependency.Name))
            {
                errors.Add(new ManifestError(field, $"'{dependency.Name}' is not a valid plugin id: {PluginIds.Rule}"));
                continue;
            }

            if (dependency.Name == selfId)
            {
                errors.Add(new ManifestError(field, "a plugin cannot depend on itself"));
                continue;
            }

            if (dependency.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add(new ManifestError(field, $"expected a version range string, found {Describe(dependency.Value.ValueKind)}"));
                continue;
            }

            var range = dependency.Value.GetString()!;
            if (!SemVersionRange.TryParseNpm(range, out _))
            {
                errors.Add(new ManifestError(field, $"'{range}' is not a version range (for example \">=1.2.0\" or \"^1.2\")"));
                continue;
            }

            if (!dependencies.TryAdd(dependency.Name, range))
            {
                errors.Add(new ManifestError(field, "listed twice"));
            }
        }

        return dependencies;
    }

    private static List<string> Capabilities(JsonElement root, List<ManifestError> errors)
    {
        var capabilities = OptionalStringArray(root, "capabilities", errors);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var capability in capabilities)
        {
            if (!PluginCapabilities.IsKnown(capability))
            {
                errors.Add(new ManifestError("capabilities", $"unknown capability '{capability}'; known capabilities are {string.Join(", ", PluginCapabilities.All)}"));
            }
            else if (!seen.Add(capability))
            {
                errors.Add(new ManifestError("capabilities", $"'{capability}' is listed twice"));
            }
        }

        return capabilities;
    }

    private static string? RequiredString(JsonElement root, string field, List<ManifestError> errors)
    {
        if (!root.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new ManifestError(field, "required"));
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add(new ManifestError(field, $"expected a string, found {Describe(element.ValueKind)}"));
            return null;
        }

        var value = element.GetString()!;
        if (value.Trim().Length == 0)
        {
            errors.Add(new ManifestError(field, "must not be empty"));
            return null;
        }

        return value;
    }

    private static string? OptionalString(JsonElement root, string field, List<ManifestError> errors)
    {
        if (!root.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add(new ManifestError(field, $"expected a string, found {Describe(element.ValueKind)}"));
            return null;
        }

        return element.GetString();
    }

    private static List<string> OptionalStringArray(JsonElement root, string field, List<ManifestError> errors)
    {
        var values = new List<string>();
        if (!root.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return values;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new ManifestError(field, $"expected an array of strings, found {Describe(element.ValueKind)}"));
            return values;
        }

        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString()!.Trim().Length == 0)
            {
                errors.Add(new ManifestError($"{field}[{index}]", $"expected a non-empty string, found {Describe(item.ValueKind)}"));
            }
            else
            {
                values.Add(item.GetString()!);
            }

            index++;
        }

        return values;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
