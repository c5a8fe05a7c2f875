using Microsoft.Extensions.Options;

namespace Acorn.Contexts;

/// <summary>Checks <see cref="ContextOptions"/>; each failure names the option and its limit.</summary>
public sealed class ContextOptionsValidator : IValidateOptions<ContextOptions>
{
    /// <summary>The deepest <see cref="ContextOptions.MaxDataDepth"/> may be set.</summary>
    public const int MaxDataDepthLimit = 1000;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        if (options.MaxContexts < 1)
        {
            failures.Add($"{nameof(options.MaxContexts)} must be at least 1 (was {options.MaxContexts}).");
        }

        if (options.MaxDataBytes < 2)
        {
            failures.Add($"{nameof(options.MaxDataBytes)} must be at least 2, room for '{{}}' (was {options.MaxDataBytes}).");
        }

        if (options.MaxDataDepth is < 1 or > MaxDataDepthLimit)
        {
            failures.Add($"{nameof(options.MaxDataDepth)} must be between 1 and {MaxDataDepthLimit} (was {options.MaxDataDepth}).");
        }

        if (options.DefaultTimeToLive is { } ttl && ttl <= TimeSpan.Zero && ttl != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"{nameof(options.DefaultTimeToLive)} must be positive, infinite or null (was {ttl}).");
        }

        if (options.MaxRecoveryPointsPerContext < 1)
        {
            failures.Add($"{nameof(options.MaxRecoveryPointsPerContext)} must be at least 1 (was {options.MaxRecoveryPointsPerContext}).");
        }

        if (options.ExpirySweepInterval < TimeSpan.Zero)
        {
            failures.Add($"{nameof(options.ExpirySweepInterval)} must not be negative (was {options.ExpirySweepInterval}).");
        }

        if (options.ChangeFeedCapacity < 1)
        {
            failures.Add($"{nameof(options.ChangeFeedCapacity)} must be at least 1 (was {options.ChangeFeedCapacity}).");
        }

        if (options.SlowUpdateFunctionThreshold <= TimeSpan.Zero && options.SlowUpdateFunctionThreshold != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"{nameof(options.SlowUpdateFunctionThreshold)} must be positive or infinite (was {options.SlowUpdateFunctionThreshold}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws when <paramref name="options"/> are invalid: for implementations of <see cref="IContextManager"/>.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the failures say how.</exception>
    public static void ThrowIfInvalid(ContextOptions options)
    {
        var result = new ContextOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(nameof(ContextOptions), typeof(ContextOptions), result.Failures);
        }
    }
}
