using System.Reflection;
using Acorn.Plugins.Loading;

namespace Acorn.Plugins.Tests;

/// <summary>The host shares exactly the assemblies the plugin API exposes: fewer breaks type identity, more refuses what plugins ship.</summary>
public sealed class PluginSharedAssembliesTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void The_shared_list_is_the_closure_of_the_contracts_public_surface()
    {
        var exposed = ExposedAssemblies(typeof(IPlugin).Assembly);

        // CoreLib is in every context already; it cannot be loaded twice.
        exposed.Remove("System.Private.CoreLib");
        Assert.Equal(exposed.Order(StringComparer.Ordinal), PluginLoadContext.SharedAssemblies.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Every assembly whose types appear in a public signature of the contract, and then in the public signatures of
    /// those types, and so on: a type a plugin can receive from the host or hand to it must be the host's.
    /// </summary>
    private static HashSet<string> ExposedAssemblies(Assembly contract)
    {
        var assemblies = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>(contract.GetExportedTypes());
        void Reach(Type? type)
        {
            if (type is null || type.IsGenericParameter)
            {
                return;
            }

            if (type.HasElementType)
            {
                Reach(type.GetElementType());
            }
            else if (type.IsConstructedGenericType)
            {
                Reach(type.GetGenericTypeDefinition());
                Array.ForEach(type.GetGenericArguments(), Reach);
            }
            else if (seen.Add(type))
            {
                pending.Enqueue(type);
            }
        }

        while (pending.TryDequeue(out var type))
        {
            var assembly = type.Assembly.GetName().Name!;
            assemblies.Add(assembly);
            if (assembly == "System.Private.CoreLib")
            {
                continue;
            }

            Reach(type.BaseType);
            Array.ForEach(type.GetInterfaces(), Reach);
            foreach (var member in type.GetMembers(Declared))
            {
                switch (member)
                {
                    case MethodBase method:
                        Reach((method as MethodInfo)?.ReturnType);
                        Array.ForEach(method.GetParameters(), p => Reach(p.ParameterType));
                        break;
                    case PropertyInfo property:
                        Reach(property.PropertyType);
                        break;
                    case FieldInfo field:
                        Reach(field.FieldType);
                        break;
                    case EventInfo @event:
                        Reach(@event.EventHandlerType);
                        break;
                    case Type nested:
                        Reach(nested);
                        break;
                }
            }
        }

        return assemblies;
    }
}
