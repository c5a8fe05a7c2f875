using Acorn.Plugins;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;

namespace Acorn.TestPlugins.Newtonsoft12;

/// <summary>Round-trips one of its own types through its private Newtonsoft.Json 12, as a plugin with its own serializer would.</summary>
public sealed partial class Newtonsoft12Plugin : IPlugin
{
    /// <inheritdoc/>
    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        var json = JsonConvert.SerializeObject(new Note { Title = "greeting", Stars = 3, Tags = ["a", "b"] });
        var back = JsonConvert.DeserializeObject<Note>(json)!;
        var library = typeof(JsonConvert).Assembly.GetName().Version!;
        RoundTripped(context.Logger, library.Major, back.Title, back.Stars, json);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "Newtonsoft.Json {Major} round-tripped {Title} with {Stars} stars as {Json}")]
    private static partial void RoundTripped(ILogger logger, int major, string? title, int stars, string json);
}

/// <summary>The plugin's own type that Newtonsoft.Json describes, converts and caches.</summary>
public sealed class Note
{
    /// <summary>A title.</summary>
    public string? Title { get; set; }

    /// <summary>A count.</summary>
    public int Stars { get; set; }

    /// <summary>Some tags.</summary>
    public IReadOnlyList<string> Tags { get; set; } = [];
}
