#!/usr/bin/env bash
# Nas entry point: builds incrementally, then runs the CLI. Needs only the .NET SDK; changes nothing outside the clone.
#   ./nas demo            the end-to-end workflow on embedded synthetic data
#   ./nas test            the whole test suite; ends with "N passed, N failed"
#   ./nas ARGS...         any CLI command (./nas --help)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="$ROOT/.nas"
CONFIG="${NAS_BUILD_CONFIGURATION:-Release}"
CLI_DLL="$ROOT/src/Cli/bin/$CONFIG/net10.0/nas.dll"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[nas] %s\n' "$*" >&2; }

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    log "the .NET SDK 10 is required but 'dotnet' is not on PATH."
    log "install it (https://learn.microsoft.com/dotnet/core/install/linux-debian), then re-run this command."
    exit 2
  fi
}

# Nothing outside the clone is changed: the build itself makes TorchSharp's native shim load with the system's
# libstdc++ (Directory.Build.targets; see docs/setup.md). The only requirement is the .NET SDK.

# Incremental build: skip MSBuild entirely when no source, project or props file is newer than the last build.
build() {
  local stamp="$STATE/build-$CONFIG.stamp"
  if [ -f "$stamp" ] && [ -f "$CLI_DLL" ] && [ -z "$(find "$ROOT/src" "$ROOT/tests" "$ROOT/bench" "$ROOT"/*.props "$ROOT"/*.targets "$ROOT/build" "$ROOT/Nas.sln" \
        -newer "$stamp" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.proto' -o -name '*.sln' -o -name '*.json' -o -name '*.targets' \) \
        -not -path '*/bin/*' -not -path '*/obj/*' -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  local out="$STATE/build.log"
  if ! dotnet build "$ROOT/Nas.sln" -c "$CONFIG" --nologo -v quiet -clp:NoSummary -consoleLoggerParameters:ErrorsOnly >"$out" 2>&1; then
    cat "$out" >&2
    log "build failed (full log: $out)"
    return 1
  fi
  touch "$stamp"
}

run_tests() {
  local results="$STATE/test-results"
  rm -rf "$results"; mkdir -p "$results"
  local rc=0
  dotnet test "$ROOT/Nas.sln" -c "$CONFIG" --no-build --nologo -v quiet \
    --logger "trx" --results-directory "$results" "$@" || rc=$?
  local passed=0 failed=0 f p x
  for f in "$results"/*.trx; do
    [ -e "$f" ] || continue
    p=$(grep -o '<Counters [^>]*' "$f" | grep -o ' passed="[0-9]*"' | grep -o '[0-9]*' || echo 0)
    x=$(grep -o '<Counters [^>]*' "$f" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*' || echo 0)
    passed=$((passed + ${p:-0})); failed=$((failed + ${x:-0}))
  done
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; log "the test run itself failed (exit $rc)"; fi
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

main() {
  mkdir -p "$STATE"
  ensure_dotnet
  case "${1:-}" in
    test)
      shift
      if ! build; then echo "0 passed, 1 failed"; exit 1; fi
      run_tests "$@"
      ;;
    build)
      build
      ;;
    *)
      build
      exec dotnet "$CLI_DLL" "$@"
      ;;
  esac
}

main "$@"
