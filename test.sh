#!/usr/bin/env bash
# Runs the whole Acorn test suite: restore, build, Coyote rewrite, then every test project.
# Does its own set-up; extra arguments go to `dotnet test` (for example --filter-class ...).
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== browser for the dashboard test (Debian's chromium)"
if ! command -v chromium > /dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null) \
      || echo "could not install chromium: the dashboard browser test will fail and say so"
  else
    echo "chromium is missing and this is not root: install it (apt-get install chromium) or the dashboard browser test fails"
  fi
fi

echo "== restore and build"
dotnet build Acorn.slnx -c Release --nologo -v quiet

if [ -x tests/coyote-rewrite.sh ]; then
  echo "== coyote rewrite"
  tests/coyote-rewrite.sh Release
fi

echo "== test"
dotnet test --solution Acorn.slnx -c Release --no-build --no-progress "$@"

echo "== contention benchmark smoke run (--quick): fails if Acorn loses an update; speed is not asserted"
bench_out=$(mktemp -d)
dotnet run -c Release --project bench/Acorn.Bench --no-build -- contention --quick --out "$bench_out" > "$bench_out/run.log" 2>&1 \
  || { tail -n 20 "$bench_out/run.log"; echo "contention smoke run failed (log: $bench_out/run.log)"; exit 1; }
test -s "$bench_out/contention.md" || { echo "contention smoke run wrote no report"; exit 1; }
echo "contention smoke run: report produced, Acorn lost no update ($bench_out/contention.md)"
