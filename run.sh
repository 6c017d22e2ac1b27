#!/usr/bin/env bash
# ./run.sh — the whole platform on this machine: PostgreSQL, Redis, RabbitMQ and MailDev as local processes,
# every service (MFA as two replicas) and the gateway, wired exactly as an Aspire AppHost would wire them.
#   ./run.sh            start (reuses the data in .data/)
#   ./run.sh --reset    wipe .data/ first
# Options for the launcher: --data DIR, --port-base N (servers on N+1…N+6, services from N+10), --mfa-replicas N,
# --no-build. GATEWAY_PORT (default 8080). Your own ConnectionStrings__*, Twilio__*, PublicBaseUrl, … win.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
install_prerequisites

args=()
build=1
for arg in "$@"; do
  if [ "$arg" = "--no-build" ]; then build=0; else args+=("$arg"); fi
done
if [ "$build" = 1 ]; then
  echo "Building…"
  dotnet build AuthPlatform.CI.slnf -c Debug -nologo -v quiet -clp:ErrorsOnly
fi
# exec: the launcher itself receives Ctrl-C / SIGTERM and stops everything it started.
exec dotnet artifacts/bin/Launcher/debug/Launcher.dll "${args[@]}"
