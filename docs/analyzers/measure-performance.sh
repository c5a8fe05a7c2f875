#!/usr/bin/env bash
# Measures what Acorn.Analyzers adds to a build, with the compiler's own -p:ReportAnalyzer=true report.
#   1. Acorn's own src/ projects (the analyzers are wired in through src/Directory.Build.props).
#   2. A generated lock-heavy project of FILES files (default 2000): every file mixes code without locks, lock
#      statements, Monitor/ReaderWriterLockSlim pairs with try/finally, SemaphoreSlim.WaitAsync holds, switch
#      expressions, loops and lambdas, so that most bodies pass the analyzers' pre-filter and get a full data-flow run.
# Usage: docs/analyzers/measure-performance.sh [FILES]
set -euo pipefail
cd "$(dirname "$0")/../.."
files=${1:-2000}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

report() {
  # The report lists every analyzer assembly, then its analyzers; keep the total and Acorn's rows.
  grep -E "Total analyzer execution time|^ *[0-9.]+ +[0-9<]+ +(Acorn|Microsoft.CodeAnalysis.(CSharp.)?NetAnalyzers,)" "$1" | sed -E 's/^ +//; s/, Culture=.*//' | sort -u
}

echo "== machine"
echo "cores: $(nproc); cpu: $(lscpu | sed -n 's/^Model name: *//p'); dotnet: $(dotnet --version)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== Acorn src/ (Release; each project recompiled alone: --no-incremental --no-dependencies)"
for project in src/*/*.csproj; do
  name=$(basename "$project" .csproj)
  case "$name" in Acorn.Analyzers*) continue ;; esac
  dotnet build "$project" -c Release -v q --disable-build-servers > /dev/null
  dotnet build "$project" -c Release --no-incremental --no-dependencies --disable-build-servers -p:ReportAnalyzer=true -v:d > "$work/$name.log"
  echo "-- $name ($(find "$(dirname "$project")" -name '*.cs' -not -path '*/obj/*' | xargs cat | wc -l) lines)"
  report "$work/$name.log"
done

echo "== generated project: $files files"
dotnet build src/Acorn.Analyzers/Acorn.Analyzers.csproj -c Release -v q --disable-build-servers > /dev/null
gen="$work/Generated"
mkdir -p "$gen"
cat > "$gen/Generated.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <AnalysisLevel>latest-recommended</AnalysisLevel>
    <NoWarn>\$(NoWarn);CA1822;CA1852;CA2007;CA1805;CA1848;CS1998</NoWarn>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <Analyzer Include="$PWD/src/Acorn.Analyzers/bin/Release/netstandard2.0/Acorn.Analyzers.dll" />
  </ItemGroup>
</Project>
XML
echo '<Project />' > "$gen/Directory.Build.props"
echo '<Project />' > "$gen/Directory.Build.targets"
python3 - "$gen" "$files" <<'PY'
import sys, os
root, count = sys.argv[1], int(sys.argv[2])
template = '''namespace Generated;

public sealed class Service{i}
{{
    private readonly object _gate = new();
    private readonly Lock _lock = new();
    private readonly ReaderWriterLockSlim _rw = new();
    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly Dictionary<int, string> _cache = new();
    private int _version;

    public int Count(IEnumerable<int> values)
    {{
        var total = 0;
        foreach (var value in values)
        {{
            total += value switch {{ < 0 => -value, 0 => 1, _ => value }};
        }}

        return total;
    }}

    public string Describe(object value) => value switch
    {{
        int n when n > 10 => "big",
        int => "small",
        string {{ Length: > 3 }} s => s,
        _ => "other",
    }};

    public void Put(int key, string value)
    {{
        lock (_gate)
        {{
            _cache[key] = value;
            _version++;
        }}
    }}

    public string? Get(int key)
    {{
        _rw.EnterReadLock();
        try
        {{
            return _cache.TryGetValue(key, out var value) ? value : null;
        }}
        finally
        {{
            _rw.ExitReadLock();
        }}
    }}

    public async Task<int> RefreshAsync(Func<int, Task<string>> load, CancellationToken cancellationToken)
    {{
        int version;
        lock (_lock)
        {{
            version = _version;
        }}

        var loaded = await load(version).ConfigureAwait(false);
        await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {{
            _cache[version] = loaded;
            for (var i = 0; i < 3 && !cancellationToken.IsCancellationRequested; i++)
            {{
                if (i == 1)
                {{
                    continue;
                }}

                _version += i;
            }}
        }}
        finally
        {{
            _semaphore.Release();
        }}

        await Task.Yield();
        return version;
    }}

    public async Task<int> SumAsync(IAsyncEnumerable<int> values)
    {{
        var total = 0;
        await foreach (var value in values.ConfigureAwait(false))
        {{
            if (!Monitor.TryEnter(_gate))
            {{
                continue;
            }}

            try
            {{
                total += value;
            }}
            finally
            {{
                Monitor.Exit(_gate);
            }}
        }}

        Func<Task<int>> later = async () =>
        {{
            await Task.Delay(1).ConfigureAwait(false);
            return total;
        }};
        return await later().ConfigureAwait(false);
    }}
}}
'''
for i in range(count):
    with open(os.path.join(root, f"Service{i}.cs"), "w") as f:
        f.write(template.format(i=i))
PY
echo "lines: $(cat "$gen"/*.cs | wc -l)"
dotnet build "$gen/Generated.csproj" -c Release --disable-build-servers -p:ReportAnalyzer=true -v:d > "$work/generated.log" || { tail -30 "$work/generated.log"; exit 1; }
grep -E "Time Elapsed" "$work/generated.log" | tail -1
report "$work/generated.log"
