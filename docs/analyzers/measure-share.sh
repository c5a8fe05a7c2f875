#!/usr/bin/env bash
# Acorn.Analyzers' share of build time, with the compiler's own reports: Acorn's analyzer time (-p:ReportAnalyzer=true)
# as a ratio to the compiler's time (the Csc task, -clp:PerformanceSummary) in a build without Acorn's analyzers.
# Two builds per code base, from scratch (--no-incremental), without and with Acorn:
#   1. Acorn's src/: Acorn.Server and every project it references (all of src/ but the silo host and the analyzers);
#      without Acorn is -p:AcornAnalyzersAsErrors=false, which drops the analyzer reference.
#   2. LIBRARY, a project file that builds a public library's sources and adds Acorn.Analyzers.dll as an
#      <Analyzer> when -p:UseAcorn=true (see docs/analyzers/README.md#performance for the one measured).
# Usage: docs/analyzers/measure-share.sh LIBRARY_PROJECT
set -euo pipefail
library=$(realpath "$1")
cd "$(dirname "$0")/../.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), dotnet $(dotnet --version)"
echo "load at start: $(uptime)"
dotnet build src/Acorn.Analyzers/Acorn.Analyzers.csproj -c Release -v q --nologo > /dev/null

build() { # log project extra-property
  dotnet build "$2" -c Release --no-incremental --disable-build-servers --nologo -v:d -clp:PerformanceSummary -p:ReportAnalyzer=true "$3" > "$logs/$1.log"
}

summarise() { # name
  python3 - "$logs/$1-without.log" "$logs/$1-with.log" "$1" <<'PY'
import re, sys
def read(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    acorn = sum(float(m) for m in re.findall(r"^\s*([0-9.]+)\s+[0-9<]+\s+Acorn\.Analyzers,", text, re.M))
    total = sum(float(m) for m in re.findall(r"Total analyzer execution time: ([0-9.]+) seconds", text))
    csc = re.search(r"^\s*([0-9]+) ms\s+Csc\s+([0-9]+) calls", text, re.M)
    elapsed = re.search(r"Time Elapsed ([0-9:.]+)", text)
    return acorn, total, int(csc.group(1)) / 1000 if csc else float("nan"), int(csc.group(2)) if csc else 0, elapsed.group(1) if elapsed else "?"
without, with_ = read(sys.argv[1]), read(sys.argv[2])
print(f"{sys.argv[3]}: {with_[3]} compilations")
print(f"  without Acorn: Csc {without[2]:.2f} s, all analyzers {without[1]:.2f} s, build {without[4]}")
print(f"  with Acorn:    Csc {with_[2]:.2f} s, all analyzers {with_[1]:.2f} s, of which Acorn {with_[0]:.3f} s, build {with_[4]}")
print(f"  Acorn / Csc without Acorn: {with_[0] / without[2]:.3f}; Acorn / all analyzers: {with_[0] / with_[1]:.3f}")
PY
}

build src-without src/Acorn.Server/Acorn.Server.csproj -p:AcornAnalyzersAsErrors=false
build src-with src/Acorn.Server/Acorn.Server.csproj -p:AcornAnalyzersAsErrors=true
summarise src
build library-without "$library" -p:UseAcorn=false
build library-with "$library" -p:UseAcorn=true
summarise library
echo "load at end: $(uptime)"
grep -h "ACRN0\|AD0001" "$logs"/*-with.log | sed -E 's/^ +//' | sort -u | head -20 || true
