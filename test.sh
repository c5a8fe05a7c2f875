#!/usr/bin/env bash
# Runs the whole Acorn test suite: restore, build, Coyote rewrite, then every test project.
# Does its own set-up; extra arguments go to `dotnet test` (for example --filter-class ...).
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== restore and build"
dotnet build Acorn.slnx -c Release --nologo -v quiet

if [ -x tests/coyote-rewrite.sh ]; then
  echo "== coyote rewrite"
  tests/coyote-rewrite.sh Release
fi

echo "== test"
dotnet test --solution Acorn.slnx -c Release --no-build --no-progress "$@"
