using System.ComponentModel.DataAnnotations;
using Acorn.Plugins;
using Microsoft.Extensions.Logging;

namespace Acorn.TestPlugins.Validates;

/// <summary>Checks its own settings with DataAnnotations' <see cref="Validator"/>, as a plugin validating its options would.</summary>
public sealed partial class ValidatingPlugin : IPlugin
{
    /// <inheritdoc/>
    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        var settings = new Settings { Name = "validates", Level = 3 };
        var problems = new List<ValidationResult>();
        var valid = Validator.TryValidateObject(settings, new ValidationContext(settings), problems, validateAllProperties: true);
        Validated(context.Logger, valid, problems.Count);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "settings valid: {Valid} ({Problems} problems)")]
    private static partial void Validated(ILogger logger, bool valid, int problems);
}

/// <summary>The plugin's own settings type.</summary>
public sealed class Settings
{
    /// <summary>A required name.</summary>
    [Required]
    public string? Name { get; set; }

    /// <summary>A level from 1 to 10.</summary>
    [Range(1, 10)]
    public int Level { get; set; }
}
