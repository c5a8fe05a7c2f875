using Acorn.Plugins.Dependencies;
using Semver;

namespace Acorn.Plugins.Tests;

public sealed class PluginDependencyGraphTests
{
    private static readonly SemVersion HostApi = SemVersion.Parse("1.4.0", SemVersionStyles.Strict);

    private static PluginDescriptor Plugin(string id, string version = "1.0.0", string? hostApi = null, params (string Id, string Range)[] dependencies) =>
        new(
            new PluginManifest
            {
                Id = id,
                Name = id,
                Version = version,
                EntryAssembly = id + ".dll",
                HostApi = hostApi,
                Dependencies = dependencies.ToDictionary(d => d.Id, d => d.Range),
            },
            Path.Combine(Path.GetTempPath(), "graph", id));

    private static PluginDescriptor Needs(string id, params string[] dependencies) =>
        Plugin(id, dependencies: [.. dependencies.Select(d => (d, ">=1.0.0"))]);

    [Fact]
    public void Diamond_loads_dependencies_first()
    {
        var resolution = PluginDependencyGraph.Resolve([Needs("top", "left", "right"), Needs("left", "base"), Needs("right", "base"), Needs("base")], HostApi);

        Assert.Empty(resolution.Errors);
        Assert.Equal(["base", "left", "right", "top"], resolution.LoadOrder.Select(p => p.Id));
    }

    [Fact]
    public void Missing_dependency_names_who_needs_what_and_blocks_dependents_only()
    {
        var resolution = PluginDependencyGraph.Resolve([Needs("a", "ghost"), Needs("b", "a"), Needs("c")], HostApi);

        Assert.Equal(["c"], resolution.LoadOrder.Select(p => p.Id));
        var missing = Assert.Single(resolution.ErrorsFor("a"));
        Assert.Equal(DependencyErrorKind.MissingDependency, missing.Kind);
        Assert.Equal("plugin 'a' needs 'ghost' (>=1.0.0), which is not installed", missing.Message);
        var blocked = Assert.Single(resolution.ErrorsFor("b"));
        Assert.Equal(DependencyErrorKind.Blocked, blocked.Kind);
        Assert.Equal(["a"], blocked.Related);
    }

    [Fact]
    public void Version_out_of_range_is_its_own_error()
    {
        var resolution = PluginDependencyGraph.Resolve([Plugin("lib", "2.1.0"), Plugin("app", dependencies: ("lib", "^1.2"))], HostApi);

        var error = Assert.Single(resolution.Errors);
        Assert.Equal(DependencyErrorKind.VersionOutOfRange, error.Kind);
        Assert.Equal("plugin 'app' needs 'lib' ^1.2 but version 2.1.0 is installed", error.Message);
        Assert.Equal(["lib"], resolution.LoadOrder.Select(p => p.Id));
    }

    [Fact]
    public void Host_api_out_of_range_is_its_own_error()
    {
        var resolution = PluginDependencyGraph.Resolve([Plugin("old", hostApi: "<1.0.0"), Plugin("fine", hostApi: ">=1.4.0 <2.0.0")], HostApi);

        var error = Assert.Single(resolution.Errors);
        Assert.Equal(DependencyErrorKind.HostApiOutOfRange, error.Kind);
        Assert.Equal("plugin 'old' needs host API '<1.0.0' but the host API is 1.4.0", error.Message);
        Assert.Equal(["fine"], resolution.LoadOrder.Select(p => p.Id));
    }

    [Fact]
    public void Cycle_error_names_the_whole_cycle_for_each_member()
    {
        var resolution = PluginDependencyGraph.Resolve([Needs("a", "b"), Needs("b", "c"), Needs("c", "a"), Needs("d", "c"), Needs("e")], HostApi);

        Assert.Equal(["e"], resolution.LoadOrder.Select(p => p.Id));
        foreach (var id in new[] { "a", "b", "c" })
        {
            var error = Assert.Single(resolution.ErrorsFor(id));
            Assert.Equal(DependencyErrorKind.Cycle, error.Kind);
            Assert.Equal($"plugin '{id}' is in a dependency cycle: a -> b -> c -> a", error.Message);
        }

        Assert.Equal(DependencyErrorKind.Blocked, Assert.Single(resolution.ErrorsFor("d")).Kind);
    }

    [Fact]
    public void Two_plugin_cycle_is_found()
    {
        var resolution = PluginDependencyGraph.Resolve([Needs("x", "y"), Needs("y", "x")], HostApi);

        Assert.Empty(resolution.LoadOrder);
        Assert.Equal(
            ["plugin 'x' is in a dependency cycle: x -> y -> x", "plugin 'y' is in a dependency cycle: x -> y -> x"],
            resolution.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Plugin_that_needs_itself_is_a_cycle_of_one_and_blocks_its_dependents()
    {
        // Only a descriptor built in code can say this: the manifest reader refuses it.
        var resolution = PluginDependencyGraph.Resolve([Needs("narcissus", "narcissus"), Needs("fan", "narcissus"), Needs("other")], HostApi);

        var cycle = Assert.Single(resolution.ErrorsFor("narcissus"));
        Assert.Equal(DependencyErrorKind.Cycle, cycle.Kind);
        Assert.Equal("plugin 'narcissus' is in a dependency cycle: narcissus -> narcissus", cycle.Message);
        Assert.Equal(["narcissus"], cycle.Related);
        Assert.Equal(DependencyErrorKind.Blocked, Assert.Single(resolution.ErrorsFor("fan")).Kind);
        Assert.Equal(["other"], resolution.LoadOrder.Select(p => p.Id));
    }

    [Fact]
    public void Duplicate_id_is_its_own_error()
    {
        var resolution = PluginDependencyGraph.Resolve([Needs("twin"), Needs("twin"), Needs("user", "twin")], HostApi);

        Assert.Equal(DependencyErrorKind.DuplicateId, Assert.Single(resolution.ErrorsFor("twin")).Kind);
        Assert.Equal(DependencyErrorKind.Blocked, Assert.Single(resolution.ErrorsFor("user")).Kind);
        Assert.Empty(resolution.LoadOrder);
    }

    [Fact]
    public void Random_dag_order_respects_every_edge()
    {
        var random = new Random(1234);
        var plugins = new List<PluginDescriptor>();
        for (var i = 0; i < 200; i++)
        {
            var dependencies = Enumerable.Range(0, i).Where(_ => random.Next(20) == 0).Select(j => $"p{j:D3}").ToArray();
            plugins.Add(Needs($"p{i:D3}", dependencies));
        }

        var resolution = PluginDependencyGraph.Resolve(plugins.OrderBy(_ => random.Next()), HostApi);

        Assert.Empty(resolution.Errors);
        Assert.Equal(200, resolution.LoadOrder.Count);
        var position = resolution.LoadOrder.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i);
        Assert.All(resolution.LoadOrder, p => Assert.All(p.Dependencies.Keys, d => Assert.True(position[d] < position[p.Id], $"{d} must load before {p.Id}")));
    }
}
