using System.Text.RegularExpressions;

namespace Acorn.Analyzers.Tests.Packaging;

/// <summary>
/// Packs Acorn.Analyzers from a copy of its sources and builds a real project that consumes the package from a local
/// feed, with an isolated NuGet configuration and packages folder: what a user gets, not what the test harness sees.
/// </summary>
public sealed partial class PackagedAnalyzerTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "acorn-analyzers-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Packaged_analyzer_reports_every_rule_with_configured_severities_and_type_lists()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(8));
        var version = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var feed = Path.Combine(_work, "feed");

        var repository = Path.Combine(_work, "repo");
        CopyAnalyzerSources(repository);
        var (packExit, packOutput) = await DotnetCli.RunAsync(repository, timeout.Token,
            "pack", "src/Acorn.Analyzers.Package/Acorn.Analyzers.Package.csproj", "-c", "Release", "-o", feed,
            "-p:Version=" + version, "--disable-build-servers", "-nologo");
        Assert.True(packExit == 0, packOutput);
        var package = Path.Combine(feed, $"Acorn.Analyzers.{version}.nupkg");
        Assert.True(File.Exists(package), packOutput);
        using (var archive = System.IO.Compression.ZipFile.OpenRead(package))
        {
            var pages = archive.Entries.Select(e => e.FullName).Where(n => n.StartsWith("docs/", StringComparison.Ordinal)).ToHashSet();
            var missing = Enumerable.Range(1, 7).Select(i => $"docs/ACRN{i:000}.md").Append("docs/README.md").Where(p => !pages.Contains(p)).ToList();
            Assert.True(missing.Count == 0, "not packed: " + string.Join(", ", missing));
        }

        var app = Path.Combine(_work, "app");
        WriteConsumer(app, feed, version);
        var (buildExit, buildOutput) = await DotnetCli.RunAsync(app, timeout.Token,
            "build", "App.csproj", "--disable-build-servers", "-nologo", "-v:n");

        var found = Diagnostic().Matches(buildOutput)
            .Select(m => (File: Path.GetFileName(m.Groups["file"].Value), Line: int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), Severity: m.Groups["severity"].Value, Id: m.Groups["id"].Value))
            .Distinct()
            .OrderBy(d => d.Line)
            .ToList();
        var expected = new[]
        {
            ("Rules.cs", 9, "error", "ACRN001"),
            ("Rules.cs", 16, "warning", "ACRN002"),
            ("Rules.cs", 22, "warning", "ACRN003"),
            ("Rules.cs", 32, "warning", "ACRN004"),
            ("Rules.cs", 40, "warning", "ACRN004"),
            ("Rules.cs", 46, "warning", "ACRN005"),
            ("Rules.cs", 54, "warning", "ACRN006"),
            ("Rules.cs", 59, "warning", "ACRN007"),
        };
        Assert.True(expected.SequenceEqual(found), "found: " + string.Join("; ", found) + Environment.NewLine + buildOutput);
        Assert.NotEqual(0, buildExit);

        // No help link until the project has a public address: the compiler would print it after each diagnostic.
        Assert.DoesNotContain("http", string.Join('\n', buildOutput.Split('\n').Where(line => line.Contains("ACRN", StringComparison.Ordinal))), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    private static void CopyAnalyzerSources(string repository)
    {
        var root = RepositoryLayout.Root();
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", Path.Combine("src", "Directory.Build.props") })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(repository, file))!);
            File.Copy(Path.Combine(root, file), Path.Combine(repository, file));
        }

        foreach (var project in new[] { "Acorn.Analyzers", "Acorn.Analyzers.CodeFixes", "Acorn.Analyzers.Package" })
        {
            RepositoryLayout.CopySources(Path.Combine(root, "src", project), Path.Combine(repository, "src", project));
        }

        RepositoryLayout.CopySources(Path.Combine(root, "docs", "analyzers"), Path.Combine(repository, "docs", "analyzers"));
    }

    private static void WriteConsumer(string app, string feed, string version)
    {
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(app, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(app, "packages")}" />
              </config>
              <packageSources>
                <clear />
                <add key="acorn-test-feed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Acorn.Analyzers" Version="{version}" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, ".editorconfig"), """
            root = true

            [*.cs]
            dotnet_diagnostic.ACRN001.severity = error
            dotnet_diagnostic.ACRN003.severity = warning
            acorn_analyzers.async_lock_types = App.Gate
            acorn_analyzers.must_not_hold_types = App.Borrowed
            """);
        File.WriteAllText(Path.Combine(app, "Rules.cs"), """
            namespace App;
            public sealed class Rules
            {
                private readonly object _a = new();
                private readonly object _b = new();
                private readonly Gate _gate = new();
                public async Task Acrn001()
                {
                    Monitor.Enter(_a); await Task.Yield(); Monitor.Exit(_a);
                }

                public int Acrn002(Task<int> task)
                {
                    lock (_a)
                    {
                        return task.Result;
                    }
                }

                public async Task Acrn003()
                {
                    using (await _gate.EnterAsync())
                    {
                        await Task.Yield();
                    }
                }

                public void Acrn004First()
                {
                    lock (_a)
                    {
                        lock (_b) { }
                    }
                }

                public void Acrn004Second()
                {
                    lock (_b)
                    {
                        lock (_a) { }
                    }
                }

                public async Task<int> Acrn005()
                {
                    var borrowed = new Borrowed();
                    await Task.Yield();
                    return borrowed.Value;
                }

                public async Task<int> Acrn006(Task<int> task)
                {
                    await Task.Yield();
                    return task.Result;
                }

                public async Task Acrn007()
                {
                    await _gate.EnterAsync();
                }
            }

            public sealed class Gate
            {
                public Task<IDisposable> EnterAsync() => Task.FromResult<IDisposable>(new Borrowed());
            }

            public sealed class Borrowed : IDisposable
            {
                public int Value => 1;
                public void Dispose() { }
            }
            """);
    }

    [GeneratedRegex(@"(?<file>[^\s:(]+\.cs)\((?<line>\d+),\d+\): (?<severity>error|warning|info) (?<id>ACRN\d{3})")]
    private static partial Regex Diagnostic();
}
