#!/usr/bin/env bash
# ./run.sh — the whole platform on this machine, as an Aspire application: the AppHost starts the dashboard,
# PostgreSQL, Redis, RabbitMQ and MailDev (containers where a container engine runs, local processes otherwise),
# every service (MFA as two replicas) and the gateway on http://localhost:8080.
#   ./run.sh            start (reuses the data in .data/)
#   ./run.sh --reset    wipe .data/ first
#   ./run.sh --debug    Debug builds (a developer's breakpoints); Release otherwise
# Options: --mfa-replicas N, --servers auto|local|containers, --data DIR, --port-base N (local servers on N+1…N+8,
# services from N+10), --no-build. GATEWAY_PORT (default 8080), DASHBOARD_PORT (default 18888; OTLP on +1, resource
# service on +2). Your own ConnectionStrings__*, Twilio__*, PublicBaseUrl, Sms__*, OTEL_*, … reach the services.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
install_prerequisites

args=()
build=1
configuration=Release
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --debug) configuration=Debug ;;
    *) args+=("$arg") ;;
  esac
done
if [ "$build" = 1 ]; then
  echo "Building ($configuration)…"
  dotnet build AuthPlatform.CI.slnf -c "$configuration" -nologo -v quiet -clp:ErrorsOnly
fi

# A developer's run: Development (email links over http, SMS to the log). Set ASPNETCORE_ENVIRONMENT to change it.
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export DOTNET_ENVIRONMENT="$ASPNETCORE_ENVIRONMENT"
# The dashboard over plain http on loopback, on fixed ports.
dashboard_port="${DASHBOARD_PORT:-18888}"
export ASPNETCORE_URLS="http://localhost:$dashboard_port"
export ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://localhost:$((dashboard_port + 1))"
export ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="http://localhost:$((dashboard_port + 2))"
export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true

# Everything the AppHost starts (the orchestrator, the servers, the services) inherits this marker. The orchestrator
# finishes stopping resources after the AppHost has exited, so we wait for the marked processes before returning.
export AUTHPLATFORM_RUN="run-$$-$RANDOM"
marked() {
  for environ in /proc/[0-9]*/environ; do
    if grep -qsa "AUTHPLATFORM_RUN=$AUTHPLATFORM_RUN" "$environ" 2>/dev/null; then
      pid=${environ#/proc/}; pid=${pid%/environ}
      [ "$pid" != "$$" ] && echo "$pid"
    fi
  done
  return 0
}

dotnet "artifacts/bin/AppHost/${configuration,,}/AppHost.dll" "${args[@]}" &
apphost=$!
trap 'kill -TERM $apphost 2>/dev/null || true' TERM INT HUP
status=0
# wait returns early when a trapped signal arrives: keep waiting until the AppHost has really gone.
while kill -0 $apphost 2>/dev/null; do wait $apphost && status=0 || status=$?; done
trap - TERM INT HUP

for _ in $(seq 1 60); do
  [ -z "$(marked)" ] && break
  sleep 1
done
leftovers=$(marked)
if [ -n "$leftovers" ]; then
  echo "Killing what did not stop within 60 s: $leftovers" >&2
  kill -9 $leftovers 2>/dev/null || true
fi
echo "Stopped; nothing left running."
# A stop by signal is a normal end.
if [ "$status" = 143 ] || [ "$status" = 130 ]; then status=0; fi
exit $status
