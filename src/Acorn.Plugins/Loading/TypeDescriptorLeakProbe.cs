using System.Collections;
using System.ComponentModel;
using System.Reflection;
using System.Runtime.Loader;

namespace Acorn.Plugins.Loading;

/// <summary>Names the types of a leaked plugin context that the host's <see cref="TypeDescriptor"/> still caches.</summary>
/// <remarks>
/// <para>
/// On .NET 10, <see cref="TypeDescriptor"/> keeps every type it has described as a key of static tables, and nothing
/// public removes them: <see cref="TypeDescriptor.Refresh(Assembly)"/> drops the cached descriptions but keeps the keys,
/// and the runtime's hot-reload cache handler (<c>ReflectionCachesUpdateHandler.ClearCache</c>) clears the attribute cache
/// only (dotnet/runtime#30656, #114620; fixed in .NET 11 by making the tables aware of collectible types,
/// dotnet/runtime#114619, not serviced to .NET 10). A plugin's own uses go to its private copy of the assembly (see
/// <see cref="PluginLoadContext.IsolatedFrameworkAssemblies"/>); host-side framework code that describes a plugin type,
/// such as DataAnnotations' <c>Validator</c>, still reaches the host's copy and pins the plugin for good.
/// </para>
/// <para>
/// The probe reads one private table (<c>TypeDescriptor.s_defaultProviderInitialized</c>, which every described type
/// enters) without changing it. On a runtime that has no such table it finds nothing and claims nothing.
/// </para>
/// </remarks>
internal static class TypeDescriptorLeakProbe
{
    private static readonly FieldInfo? DescribedTypes =
        typeof(TypeDescriptor).GetField("s_defaultProviderInitialized", BindingFlags.NonPublic | BindingFlags.Static);

    /// <summary>The full names of the types from <paramref name="context"/> that the host's TypeDescriptor holds, ordered.</summary>
    public static IReadOnlyList<string> HeldTypes(AssemblyLoadContext context)
    {
        if (DescribedTypes?.GetValue(null) is not IDictionary table)
        {
            return [];
        }

        // A concurrent dictionary: its Keys is a snapshot, safe to read while others describe types.
        return table.Keys.OfType<Type>()
            .Where(type => AssemblyLoadContext.GetLoadContext(type.Assembly) == context)
            .Select(type => type.FullName ?? type.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
