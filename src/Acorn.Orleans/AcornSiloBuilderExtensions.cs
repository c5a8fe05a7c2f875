using Acorn.Contexts;
using Acorn.Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Serialization;
using Orleans.Storage;

namespace Acorn.Orleans;

/// <summary>Registers what Acorn's context grains need on a silo.</summary>
public static class AcornSiloBuilderExtensions
{
    /// <summary>
    /// Adds the services <see cref="IContextGrain"/> activations use: <see cref="ContextOptions"/>, a
    /// <see cref="TimeProvider"/>, and the storage serializer of the <see cref="AcornOrleans.StorageName"/> provider
    /// (Orleans' binary format, reading JSON states written before). Register a grain storage provider named
    /// <see cref="AcornOrleans.StorageName"/> too.
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

        // Providers take the serializer registered under their own name before the silo's default (Newtonsoft JSON).
        builder.Services.TryAddKeyedSingleton<IGrainStorageSerializer>(
            AcornOrleans.StorageName,
            (services, _) => new AcornGrainStorageSerializer(services.GetRequiredService<Serializer>(), services.GetRequiredService<IGrainStorageSerializer>()));
        return builder;
    }
}
