namespace Acorn.Bench.Plugins;

/// <summary>A layered random DAG: <c>depth</c> levels, every plugin past the first depending on 1-3 of the level before, so the longest chain is exactly <c>depth</c>.</summary>
internal sealed record PluginDag(IReadOnlyList<string> Ids, IReadOnlyDictionary<string, string[]> Dependencies, int Depth)
{
    public static PluginDag Generate(int count, int depth, int seed)
    {
        var random = new Random(seed);
        var levels = Enumerable.Range(0, depth).Select(_ => new List<string>()).ToArray();
        var dependencies = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var level = i * depth / count;
            var id = $"bench.p{i:D4}";
            levels[level].Add(id);
            dependencies[id] = level == 0
                ? []
                : [.. levels[level - 1].OrderBy(_ => random.Next()).Take(random.Next(1, 4))];
        }

        return new PluginDag([.. dependencies.Keys], dependencies, depth);
    }
}
