using Acorn.Plugins.Manifests;

namespace Acorn.Plugins.Tests;

public sealed class PluginManifestReaderTests
{
    private const string Valid = """
        {
          "id": "acme.hello",
          "name": "Hello",
          "version": "1.2.0-beta.1",
          "description": "says hello",
          "authors": ["Ann", "Bo"],
          "entryAssembly": "Acme.Hello.dll",
          "entryType": "Acme.Hello.HelloPlugin",
          "hostApi": "^1.0",
          "dependencies": { "acme.base": ">=1.2.0 <2.0.0", "acme.util": "~0.3" },
          "capabilities": ["contexts.read", "contexts.write"]
        }
        """;

    [Fact]
    public void Valid_manifest_reads_every_field()
    {
        var result = PluginManifestReader.Read(Valid);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var m = result.Manifest;
        Assert.Equal("acme.hello", m.Id);
        Assert.Equal("Hello", m.Name);
        Assert.Equal("1.2.0-beta.1", m.Version);
        Assert.Equal("says hello", m.Description);
        Assert.Equal(["Ann", "Bo"], m.Authors);
        Assert.Equal("Acme.Hello.dll", m.EntryAssembly);
        Assert.Equal("Acme.Hello.HelloPlugin", m.EntryType);
        Assert.Equal("^1.0", m.HostApi);
        Assert.Equal(">=1.2.0 <2.0.0", m.Dependencies["acme.base"]);
        Assert.Equal("~0.3", m.Dependencies["acme.util"]);
        Assert.Equal(["contexts.read", "contexts.write"], m.Capabilities);
    }

    [Fact]
    public void Minimal_manifest_has_empty_optional_fields()
    {
        var result = PluginManifestReader.Read("""{"id":"a","name":"A","version":"1.0.0","entryAssembly":"A.dll"}""");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Null(result.Manifest.EntryType);
        Assert.Null(result.Manifest.HostApi);
        Assert.Empty(result.Manifest.Dependencies);
        Assert.Empty(result.Manifest.Capabilities);
    }

    [Fact]
    public void Empty_object_reports_each_required_field()
    {
        var result = PluginManifestReader.Read("{}");

        Assert.False(result.IsValid);
        Assert.Equal(["entryAssembly", "id", "name", "version"], result.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.All(result.Errors, e => Assert.Equal("required", e.Message));
    }

    [Fact]
    public void Broken_json_is_one_error_on_the_document()
    {
        var result = PluginManifestReader.Read("""{"id": "a", "name": """);

        var error = Assert.Single(result.Errors);
        Assert.Equal("$", error.Field);
        Assert.StartsWith("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_array_is_not_a_manifest()
    {
        var error = Assert.Single(PluginManifestReader.Read("[]").Errors);

        Assert.Equal(new ManifestError("$", "expected a JSON object, found an array"), error);
    }

    [Theory]
    [InlineData("version", "\"1.2\"", "'1.2' is not a SemVer 2.0 version")]
    [InlineData("version", "\"v1.2.0\"", "'v1.2.0' is not a SemVer 2.0 version")]
    [InlineData("version", "3", "expected a string, found a number")]
    [InlineData("id", "\"Has Spaces\"", "'Has Spaces' is not a valid id")]
    [InlineData("id", "\"a..b\"", "'a..b' is not a valid id")]
    [InlineData("name", "\"  \"", "must not be empty")]
    [InlineData("hostApi", "\"not a range\"", "'not a range' is not a version range")]
    [InlineData("entryAssembly", "\"../other/Evil.dll\"", "must not leave the plugin folder")]
    [InlineData("entryAssembly", "\"/usr/lib/Evil.dll\"", "must be a path relative to the plugin folder")]
    [InlineData("entryAssembly", "\"Plugin.exe\"", "must name a .dll file")]
    [InlineData("authors", "\"Ann\"", "expected an array of strings, found a string")]
    [InlineData("dependencies", "[\"b\"]", "expected an object of plugin id to version range, found an array")]
    public void Bad_field_gets_its_own_error(string field, string json, string expected)
    {
        var fields = new Dictionary<string, string>
        {
            ["id"] = "\"acme.a\"", ["name"] = "\"A\"", ["version"] = "\"1.0.0\"", ["entryAssembly"] = "\"A.dll\"",
        };
        fields[field] = json;
        var text = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";

        var error = Assert.Single(PluginManifestReader.Read(text).Errors);

        Assert.Equal(field, error.Field);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_field_is_reported_not_just_the_first()
    {
        var result = PluginManifestReader.Read("""
            {"id":"BAD ID","name":"A","version":"one","entryAssembly":"A.dll","capabilities":["contexts.read","launch.missiles"],"colour":"red"}
            """);

        Assert.Equal(["capabilities", "colour", "id", "version"], result.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Contains("unknown capability 'launch.missiles'", result.Errors.Single(e => e.Field == "capabilities").Message, StringComparison.Ordinal);
        Assert.Contains("unknown field", result.Errors.Single(e => e.Field == "colour").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dependency_errors_name_the_dependency()
    {
        var result = PluginManifestReader.Read("""
            {"id":"acme.a","name":"A","version":"1.0.0","entryAssembly":"A.dll",
             "dependencies":{"acme.a":">=1.0.0","acme.b":"soon","Not An Id":"1.0.0","acme.c":2}}
            """);

        Assert.Equal(
            [
                new ManifestError("dependencies.acme.a", "a plugin cannot depend on itself"),
                new ManifestError("dependencies.acme.b", "'soon' is not a version range (for example \">=1.2.0\" or \"^1.2\")"),
                new ManifestError("dependencies.Not An Id", $"'Not An Id' is not a valid plugin id: {PluginIds.Rule}"),
                new ManifestError("dependencies.acme.c", "expected a version range string, found a number"),
            ],
            result.Errors);
    }

    [Fact]
    public void Capability_listed_twice_is_an_error()
    {
        var result = PluginManifestReader.Read("""
            {"id":"a","name":"A","version":"1.0.0","entryAssembly":"A.dll","capabilities":["contexts.read","contexts.read"]}
            """);

        Assert.Equal(new ManifestError("capabilities", "'contexts.read' is listed twice"), Assert.Single(result.Errors));
    }
}
