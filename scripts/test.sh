#!/usr/bin/env bash
# Runs every test of IntegrationHub on a Debian 12 machine (as root, or a user with sudo).
#   scripts/test.sh                       # everything
#   scripts/test.sh --filter "Category=Infrastructure"
# Installs what is missing (rabbitmq-server, postgresql, docker-compose, chromium), checks
# docker-compose.yml, builds once (Release), runs all test projects, and ends with one line:
#   N passed, N failed[, N skipped]
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
RESULTS="$ROOT/artifacts/test-results"

FILTER=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --filter) FILTER=(--filter "$2"); shift 2 ;;
    --filter=*) FILTER=(--filter "${1#--filter=}"); shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (supported: --filter <expr>)" >&2; exit 2 ;;
  esac
done

log() { printf '==> %s\n' "$*"; }

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
    echo "not root and no sudo: cannot install packages" >&2; fi
fi

# --- 1. system packages (only what is missing; apt-get update only if something is) ---
PACKAGES=(rabbitmq-server postgresql docker-compose chromium)
MISSING=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    MISSING+=("$p")
  fi
done
if [[ ${#MISSING[@]} -gt 0 ]]; then
  log "installing missing packages: ${MISSING[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${MISSING[@]}" </dev/null
else
  log "system packages present: ${PACKAGES[*]}"
fi
# A system RabbitMQ/PostgreSQL started by the package install is left alone: tests run private
# nodes on random free ports (20000-32000) with their own node names, cookies and data dirs.

if ! command -v dotnet >/dev/null 2>&1; then
  echo "dotnet SDK not found on PATH (need .NET 10 SDK)" >&2
  exit 1
fi

# --- 2. compose file check ---
log "docker-compose -f docker-compose.yml config -q"
docker-compose -f docker-compose.yml config -q

# --- 3. build once, test all ---
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log "dotnet build IntegrationHub.sln -c Release"
if ! dotnet build IntegrationHub.sln -c Release; then
  echo "0 passed, 1 failed (build failed)"
  exit 1
fi

log "dotnet test IntegrationHub.sln --no-build -c Release ${FILTER[*]}"
set +e
# One test project at a time: the fault and browser suites start brokers, databases and hubs of their own, and
# on two cores projects running side by side starve each other into timeouts.
dotnet test IntegrationHub.sln --no-build -c Release -m:1 \
  --logger "console;verbosity=normal" \
  --logger trx \
  --results-directory "$RESULTS" \
  "${FILTER[@]}"
TEST_RC=$?
set -e

# --- 4. one summary line from the TRX files ---
read -r PASSED FAILED SKIPPED TOTAL FILES < <(python3 - "$RESULTS" <<'PY'
import sys, glob, os, xml.etree.ElementTree as ET
passed = failed = skipped = total = files = 0
for f in glob.glob(os.path.join(sys.argv[1], "**", "*.trx"), recursive=True):
    files += 1
    c = ET.parse(f).getroot().find(".//{*}ResultSummary/{*}Counters")
    if c is None:
        continue
    g = lambda k: int(c.get(k, "0"))
    total += g("total"); passed += g("passed")
    failed += g("failed") + g("error") + g("timeout") + g("aborted")
    skipped += g("notExecuted") + g("notRunnable")
print(passed, failed, skipped, total, files)
PY
)

if [[ "$FILES" -eq 0 && "$TEST_RC" -ne 0 ]]; then
  FAILED=$((FAILED + 1))   # the run broke before writing results
fi
if [[ "$TEST_RC" -ne 0 && "$FAILED" -eq 0 ]]; then
  FAILED=1                 # e.g. a test host crashed after its counters were written
fi

if [[ "$SKIPPED" -gt 0 ]]; then
  echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
else
  echo "$PASSED passed, $FAILED failed"
fi
[[ "$FAILED" -eq 0 ]]
