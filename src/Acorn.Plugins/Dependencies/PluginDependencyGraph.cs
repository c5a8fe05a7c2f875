using Semver;

namespace Acorn.Plugins.Dependencies;

/// <summary>Checks plugins against each other and the host, and orders the loadable ones dependencies first.</summary>
/// <remarks>
/// Every plugin gets its own verdict: a missing dependency, a version out of range, a host API out of range,
/// a cycle (naming the whole cycle) or a duplicate id refuses that plugin, and every plugin that needs a
/// refused one, directly or through others, is <see cref="DependencyErrorKind.Blocked"/> naming the one it waits for.
/// Plugins unrelated to a refusal are unaffected.
/// </remarks>
public static class PluginDependencyGraph
{
    /// <summary>Resolves the graph.</summary>
    /// <param name="plugins">The discovered plugins.</param>
    /// <param name="hostApiVersion">The host's API version, checked against each plugin's <c>hostApi</c>.</param>
    /// <returns>The load order and the errors.</returns>
    public static DependencyResolution Resolve(IEnumerable<PluginDescriptor> plugins, SemVersion hostApiVersion)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        ArgumentNullException.ThrowIfNull(hostApiVersion);
        var errors = new List<DependencyError>();
        var refused = new HashSet<string>(StringComparer.Ordinal);

        var byId = new Dictionary<string, PluginDescriptor>(StringComparer.Ordinal);
        foreach (var group in plugins.GroupBy(p => p.Id, StringComparer.Ordinal))
        {
            if (group.Count() > 1)
            {
                var folders = string.Join(", ", group.Select(p => $"'{p.Directory}'"));
                errors.Add(new DependencyError(DependencyErrorKind.DuplicateId, group.Key, $"plugin id '{group.Key}' is declared {group.Count()} times ({folders})", []));
                refused.Add(group.Key);
            }
            else
            {
                byId.Add(group.Key, group.First());
            }
        }

        foreach (var plugin in byId.Values.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            CheckOne(plugin, byId, hostApiVersion, errors, refused);
        }

        FindCycles(byId, errors, refused);
        Block(byId, errors, refused);
        return new DependencyResolution(Order(byId, refused), errors);
    }

    private static void CheckOne(
        PluginDescriptor plugin, Dictionary<string, PluginDescriptor> byId, SemVersion hostApiVersion, List<DependencyError> errors, HashSet<string> refused)
    {
        if (!plugin.HostApi.Contains(hostApiVersion))
        {
            errors.Add(new DependencyError(
                DependencyErrorKind.HostApiOutOfRange, plugin.Id,
                $"plugin '{plugin.Id}' needs host API '{plugin.Manifest.HostApi}' but the host API is {hostApiVersion}", []));
            refused.Add(plugin.Id);
        }

        foreach (var (dependencyId, range) in plugin.Dependencies.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var text = plugin.Manifest.Dependencies[dependencyId];
            if (refused.Contains(dependencyId) && !byId.ContainsKey(dependencyId))
            {
                // A duplicated id is present but unusable; the plugin is blocked by it below, not missing it.
                continue;
            }

            if (!byId.TryGetValue(dependencyId, out var dependency))
            {
                errors.Add(new DependencyError(
                    DependencyErrorKind.MissingDependency, plugin.Id,
                    $"plugin '{plugin.Id}' needs '{dependencyId}' ({text}), which is not installed", [dependencyId]));
                refused.Add(plugin.Id);
            }
            else if (!range.Contains(dependency.Version))
            {
                errors.Add(new DependencyError(
                    DependencyErrorKind.VersionOutOfRange, plugin.Id,
                    $"plugin '{plugin.Id}' needs '{dependencyId}' {text} but version {dependency.Version} is installed", [dependencyId]));
                refused.Add(plugin.Id);
            }
        }
    }

    /// <summary>Tarjan's strongly connected components; every component with a cycle (one plugin needing itself included) refuses all its members.</summary>
    private static void FindCycles(Dictionary<string, PluginDescriptor> byId, List<DependencyError> errors, HashSet<string> refused)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var next = 0;

        IEnumerable<string> Edges(string id) =>
            byId[id].Dependencies.Keys.Where(byId.ContainsKey).Order(StringComparer.Ordinal);

        // Iterative, so that a long dependency chain cannot overflow the stack.
        foreach (var start in byId.Keys.Order(StringComparer.Ordinal))
        {
            if (index.ContainsKey(start))
            {
                continue;
            }

            var work = new Stack<(string Node, IEnumerator<string> Edges)>();
            Visit(start);
            while (work.Count > 0)
            {
                var (node, edges) = work.Peek();
                if (edges.MoveNext())
                {
                    var target = edges.Current;
                    if (!index.TryGetValue(target, out var targetIndex))
                    {
                        Visit(target);
                    }
                    else if (onStack.Contains(target))
                    {
                        low[node] = Math.Min(low[node], targetIndex);
                    }

                    continue;
                }

                work.Pop();
                edges.Dispose();
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }

                if (low[node] == index[node])
                {
                    var component = new List<string>();
                    string member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    }
                    while (member != node);

                    // A plugin that needs itself is a cycle of one: the manifest reader refuses it, but a descriptor built in code can say it.
                    if (component.Count > 1 || Edges(node).Contains(node, StringComparer.Ordinal))
                    {
                        ReportCycle(component, Edges, errors, refused);
                    }
                }
            }

            void Visit(string node)
            {
                index[node] = low[node] = next++;
                stack.Push(node);
                onStack.Add(node);
                work.Push((node, Edges(node).GetEnumerator()));
            }
        }
    }

    private static void ReportCycle(
        List<string> component, Func<string, IEnumerable<string>> edges, List<DependencyError> errors, HashSet<string> refused)
    {
        var members = component.ToHashSet(StringComparer.Ordinal);
        var first = component.Min(StringComparer.Ordinal)!;
        var cycle = CyclePath(first, members, edges);
        var text = string.Join(" -> ", cycle.Append(first));
        var extra = members.Except(cycle).Order(StringComparer.Ordinal).ToList();
        var suffix = extra.Count == 0 ? "" : $" (also in the same tangle: {string.Join(", ", extra)})";
        foreach (var id in component.Order(StringComparer.Ordinal))
        {
            errors.Add(new DependencyError(DependencyErrorKind.Cycle, id, $"plugin '{id}' is in a dependency cycle: {text}{suffix}", [.. cycle, .. extra]));
            refused.Add(id);
        }
    }

    /// <summary>A shortest path from <paramref name="first"/> back to itself inside one strongly connected component.</summary>
    private static List<string> CyclePath(string first, HashSet<string> members, Func<string, IEnumerable<string>> edges)
    {
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(first);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var target in edges(node).Where(members.Contains))
            {
                if (target == first)
                {
                    var path = new List<string> { node };
                    while (path[^1] != first)
                    {
                        path.Add(previous[path[^1]]);
                    }

                    path.Reverse();
                    return path;
                }

                if (previous.TryAdd(target, node))
                {
                    queue.Enqueue(target);
                }
            }
        }

        return [first];
    }

    private static void Block(Dictionary<string, PluginDescriptor> byId, List<DependencyError> errors, HashSet<string> refused)
    {
        // Repeat until nothing changes: blocking one plugin can block the plugins that need it.
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var plugin in byId.Values.OrderBy(p => p.Id, StringComparer.Ordinal))
            {
                if (refused.Contains(plugin.Id))
                {
                    continue;
                }

                var blocker = plugin.Dependencies.Keys.Order(StringComparer.Ordinal).FirstOrDefault(refused.Contains);
                if (blocker is not null)
                {
                    errors.Add(new DependencyError(
                        DependencyErrorKind.Blocked, plugin.Id, $"plugin '{plugin.Id}' is blocked: it needs '{blocker}', which cannot be loaded", [blocker]));
                    refused.Add(plugin.Id);
                    changed = true;
                }
            }
        }
    }

    private static List<PluginDescriptor> Order(Dictionary<string, PluginDescriptor> byId, HashSet<string> refused)
    {
        var remaining = byId.Values.Where(p => !refused.Contains(p.Id)).ToDictionary(p => p.Id, p => p.Dependencies.Count, StringComparer.Ordinal);
        var dependents = remaining.Keys.ToDictionary(id => id, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var id in remaining.Keys)
        {
            foreach (var dependency in byId[id].Dependencies.Keys)
            {
                dependents[dependency].Add(id);
            }
        }

        var ready = new PriorityQueue<string, string>(StringComparer.Ordinal);
        foreach (var (id, count) in remaining)
        {
            if (count == 0)
            {
                ready.Enqueue(id, id);
            }
        }

        var order = new List<PluginDescriptor>(remaining.Count);
        while (ready.TryDequeue(out var id, out _))
        {
            order.Add(byId[id]);
            foreach (var dependent in dependents[id])
            {
                if (--remaining[dependent] == 0)
                {
                    ready.Enqueue(dependent, dependent);
                }
            }
        }

        return order;
    }
}
