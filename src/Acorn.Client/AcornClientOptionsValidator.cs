using Microsoft.Extensions.Options;

namespace Acorn.Client;

/// <summary>Checks <see cref="AcornClientOptions"/> when the host starts, naming each option and its limit.</summary>
public sealed class AcornClientOptionsValidator : IValidateOptions<AcornClientOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, AcornClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BaseAddress is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"AcornClientOptions.BaseAddress must be an absolute http or https address such as http://127.0.0.1:5080, not '{options.BaseAddress}'.");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add("AcornClientOptions.ApiKey is required: the server's key (ACORN_API_KEY, or the one it wrote to data/api-key.txt).");
        }
        else if (options.ApiKey.Any(c => c is <= ' ' or > '~'))
        {
            failures.Add("AcornClientOptions.ApiKey must be printable ASCII without spaces: it is sent in the Authorization header.");
        }

        Positive(failures, nameof(options.RequestTimeout), options.RequestTimeout);
        Positive(failures, nameof(options.ConnectTimeout), options.ConnectTimeout);
        Positive(failures, nameof(options.EventHeartbeatTimeout), options.EventHeartbeatTimeout);
        Positive(failures, nameof(options.EventReconnectTimeout), options.EventReconnectTimeout);
        Positive(failures, nameof(options.RetryDelay), options.RetryDelay);
        if (options.SubscriptionCatchUpTimeout < TimeSpan.Zero)
        {
            failures.Add($"AcornClientOptions.SubscriptionCatchUpTimeout must be zero (no wait) or positive, not {options.SubscriptionCatchUpTimeout}.");
        }

        InRange(failures, nameof(options.MaxRetries), options.MaxRetries, 0, 10);
        InRange(failures, nameof(options.MaxUpdateAttempts), options.MaxUpdateAttempts, 1, 1_000);
        InRange(failures, nameof(options.ChangeFeedCapacity), options.ChangeFeedCapacity, 1, 1_000_000);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws when the options are invalid, for a client built without a host.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it and its limit.</exception>
    public static void ThrowIfInvalid(AcornClientOptions options)
    {
        var result = new AcornClientOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(AcornClientOptions), result.Failures);
        }
    }

    private static void Positive(List<string> failures, string option, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"AcornClientOptions.{option} must be positive, not {value}.");
        }
    }

    private static void InRange(List<string> failures, string option, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"AcornClientOptions.{option} must be from {min} to {max}, not {value}.");
        }
    }
}
