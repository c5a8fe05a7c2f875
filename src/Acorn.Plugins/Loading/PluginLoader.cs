using System.Reflection;

namespace Acorn.Plugins.Loading;

/// <summary>Loads a plugin's entry assembly into a new collectible context and creates its entry object.</summary>
public static class PluginLoader
{
    /// <summary>Loads the plugin from its folder.</summary>
    /// <param name="descriptor">A discovered plugin.</param>
    /// <returns>The loaded plugin.</returns>
    /// <exception cref="PluginLoadException">The assembly is missing or broken, the entry type is missing or ambiguous, or its constructor threw.</exception>
    public static LoadedPlugin Load(PluginDescriptor descriptor) => Load(descriptor, code: null);

    /// <summary>Loads the plugin from code already read (and checked) by the caller, or from its folder.</summary>
    /// <param name="descriptor">A discovered plugin.</param>
    /// <param name="code">
    /// The plugin's code as <see cref="PluginCode.ReadAsync"/> read it: the entry assembly and every private dependency are
    /// then loaded from these bytes, and a file that is not among them is refused. <see langword="null"/> loads the files.
    /// </param>
    /// <returns>The loaded plugin.</returns>
    /// <exception cref="PluginLoadException">The assembly is missing or broken, the entry type is missing or ambiguous, or its constructor threw.</exception>
    public static LoadedPlugin Load(PluginDescriptor descriptor, PluginCode? code)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var id = descriptor.Id;
        if (code is null && !File.Exists(descriptor.EntryAssemblyPath))
        {
            throw new PluginLoadException(id, $"entry assembly '{descriptor.EntryAssemblyPath}' does not exist");
        }

        if (code is not null && !code.TryGetImage(descriptor.EntryAssemblyPath, out _, out var relative))
        {
            throw new PluginLoadException(id, $"entry assembly '{relative}' is not among the code files that were read and hashed (it is missing or not a .dll)");
        }

        var context = new PluginLoadContext(id, descriptor.EntryAssemblyPath, code);
        try
        {
            Assembly assembly;
            try
            {
                assembly = context.LoadPrivate(descriptor.EntryAssemblyPath);
            }
            catch (BadImageFormatException ex)
            {
                throw new PluginLoadException(id, $"'{descriptor.EntryAssemblyPath}' is not a .NET assembly", ex);
            }

            var type = EntryType(descriptor, assembly);
            if (type.GetConstructor(Type.EmptyTypes) is null)
            {
                throw new PluginLoadException(id, $"entry type '{type.FullName}' has no public parameterless constructor");
            }

            IPlugin instance;
            try
            {
                instance = (IPlugin)Activator.CreateInstance(type)!;
            }
            catch (TargetInvocationException ex)
            {
                throw new PluginLoadException(id, $"the constructor of '{type.FullName}' threw: {ex.InnerException?.Message}", ex.InnerException);
            }

            return new LoadedPlugin(descriptor, context, instance);
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    private static Type EntryType(PluginDescriptor descriptor, Assembly assembly)
    {
        var id = descriptor.Id;
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            var first = ex.LoaderExceptions.FirstOrDefault(e => e is not null)?.Message ?? ex.Message;
            throw new PluginLoadException(id, $"types in '{assembly.GetName().Name}' could not be loaded (a dependency is probably missing from the plugin folder): {first}", ex);
        }

        var pluginTypes = types.Where(t => t.IsClass && !t.IsAbstract && t.IsPublic && typeof(IPlugin).IsAssignableFrom(t)).ToList();
        if (descriptor.Manifest.EntryType is { } name)
        {
            var named = assembly.GetType(name, throwOnError: false);
            if (named is null)
            {
                throw new PluginLoadException(id, $"entry type '{name}' was not found in '{assembly.GetName().Name}'");
            }

            if (!pluginTypes.Contains(named))
            {
                // Same name, other identity: the plugin shipped and loaded its own copy of the contract.
                var reason = named.GetInterfaces().Any(i => i.FullName == typeof(IPlugin).FullName)
                    ? "it implements a different copy of IPlugin (the plugin must not ship its own Acorn.Plugins.Abstractions)"
                    : "it is not a public, non-abstract class implementing IPlugin";
                throw new PluginLoadException(id, $"entry type '{name}' cannot be used: {reason}");
            }

            return named;
        }

        return pluginTypes.Count switch
        {
            1 => pluginTypes[0],
            0 => throw new PluginLoadException(id, $"'{assembly.GetName().Name}' has no public class implementing IPlugin"),
            _ => throw new PluginLoadException(
                id, $"'{assembly.GetName().Name}' has {pluginTypes.Count} IPlugin classes ({string.Join(", ", pluginTypes.Select(t => t.FullName))}); name one in \"entryType\""),
        };
    }
}
