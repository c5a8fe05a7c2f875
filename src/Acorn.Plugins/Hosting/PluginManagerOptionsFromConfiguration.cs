using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acorn.Plugins.Management;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Acorn.Plugins.Hosting;

/// <summary>Fills <see cref="PluginManagerOptions"/> from the host's configuration section <see cref="PluginManagerOptions.ConfigurationSection"/>.</summary>
/// <remarks>
/// Read by hand rather than with the configuration binder: grants and plugin configuration are keyed by plugin id, and a
/// plugin's section has no type to bind to; it becomes JSON. Runs before the options callback of <c>AddAcornPlugins</c>,
/// so code overrides configuration.
/// </remarks>
internal sealed class PluginManagerOptionsFromConfiguration(IConfiguration? configuration = null) : IConfigureOptions<PluginManagerOptions>
{
    public void Configure(PluginManagerOptions options)
    {
        if (configuration is null)
        {
            return;
        }

        var section = configuration.GetSection(PluginManagerOptions.ConfigurationSection);
        foreach (var root in Strings(section.GetSection("Roots")))
        {
            options.Roots.Add(root);
        }

        foreach (var plugin in section.GetSection("Grants").GetChildren())
        {
            options.CapabilityGrants[plugin.Key] = Strings(plugin);
        }

        foreach (var plugin in section.GetSection("Config").GetChildren())
        {
            options.Configuration[plugin.Key] = JsonSerializer.SerializeToElement(ToJson(plugin));
        }

        foreach (var plugin in section.GetSection("TrustedSha256").GetChildren())
        {
            if (!string.IsNullOrWhiteSpace(plugin.Value))
            {
                options.TrustedSha256[plugin.Key] = plugin.Value;
            }
        }

        if (bool.TryParse(section["RequireTrustedHash"], out var requireTrustedHash))
        {
            options.RequireTrustedHash = requireTrustedHash;
        }
    }

    /// <summary>A list from a configuration array, or from one comma-separated value (handy in environment variables).</summary>
    private static List<string> Strings(IConfigurationSection section) =>
        section.Value is { } single
            ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()
            : section.GetChildren().Select(c => c.Value).OfType<string>().ToList();

    /// <summary>
    /// Turns a configuration section into JSON: sections into objects, children keyed 0..n-1 into arrays, values into
    /// strings (configuration does not keep JSON types, so <c>5</c> and <c>true</c> arrive as "5" and "true").
    /// </summary>
    private static JsonNode? ToJson(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? null : JsonValue.Create(section.Value);
        }

        var indexes = children.Select(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1).ToList();
        if (indexes.Order().SequenceEqual(Enumerable.Range(0, children.Count)))
        {
            return new JsonArray(children.Zip(indexes).OrderBy(p => p.Second).Select(p => ToJson(p.First)).ToArray());
        }

        var json = new JsonObject();
        foreach (var child in children)
        {
            json[child.Key] = ToJson(child);
        }

        return json;
    }
}
