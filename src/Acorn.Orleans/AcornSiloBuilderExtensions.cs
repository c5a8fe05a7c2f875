using Acorn.Contexts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Acorn.Orleans;

/// <summary>Registers what Acorn's context grains need on a silo.</summary>
public static class AcornSiloBuilderExtensions
{
    /// <summary>
    /// Adds the services <see cref="IContextGrain"/> activations use: <see cref="ContextOptions"/> and a
    /// <see cref="TimeProvider"/>. Register a grain storage provider named <see cref="AcornOrleans.StorageName"/> too.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Sets limits such as <see cref="ContextOptions.MaxRecoveryPointsPerContext"/>.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    public static ISiloBuilder AddAcornContextGrains(this ISiloBuilder builder, Action<ContextOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<ContextOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddAcornStorageErrors();
        return builder;
    }
}
