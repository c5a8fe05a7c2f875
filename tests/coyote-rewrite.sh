#!/usr/bin/env bash
# Rewrites the Coyote test project's build output so Coyote controls its tasks (run after `dotnet build`).
# Usage: tests/coyote-rewrite.sh <Configuration>   (Debug or Release; default Debug)
set -euo pipefail
cd "$(dirname "$0")/.."

configuration="${1:-Debug}"
version=1.7.11
output="tests/Acorn.Coyote.Tests/bin/${configuration}/net10.0"
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
tool="${packages}/microsoft.coyote.tool/${version}/tools/net8.0/coyote.dll"

if [ ! -f "${output}/Acorn.Coyote.Tests.dll" ]; then
  echo "coyote-rewrite: ${output}/Acorn.Coyote.Tests.dll not found; build the ${configuration} configuration first" >&2
  exit 1
fi
if [ ! -f "${tool}" ]; then
  echo "coyote-rewrite: ${tool} not found; restore tests/Acorn.Coyote.Tests (it references Microsoft.Coyote.Tool ${version})" >&2
  exit 1
fi

# The test assembly and every Acorn assembly next to it; the rest (BCL, xunit, Coyote) stays as is.
assemblies=$(cd "${output}" && ls Acorn.*.dll | sed 's/.*/    "&"/' | paste -sd, -)
cat > "${output}/rewrite.coyote.json" <<JSON
{
  "AssembliesPath": ".",
  "Assemblies": [
${assemblies}
  ]
}
JSON

# Coyote 1.7.11 ships for net8.0 at most; roll forward onto the installed runtime.
DOTNET_ROLL_FORWARD=Major dotnet "${tool}" rewrite "${output}/rewrite.coyote.json" --verbosity error
echo "coyote-rewrite: rewrote $(echo "${assemblies}" | tr -d ' "' | tr ',' ' ') in ${output}"
