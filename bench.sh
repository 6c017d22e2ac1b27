#!/usr/bin/env bash
# ./bench.sh — every benchmark flow against a Release build of the whole platform, one report.
# Builds Release, starts the platform through ./run.sh on its own ports and data (logs at Warning, the gateway's
# per-client limits lifted so the edge does not answer 429 to one busy client), runs each flow of
# bench/AuthPlatform.Bench while bench/cpu-by-process.py samples every process, stops the platform, and writes
# artifacts/bench/report.md and report.json (throughput, p50/p95/p99, errors, CPU per request by process, idle and
# peak memory by process; with read-mfa, the same reads straight to an MFA replica show what the gateway adds).
# Not part of ./test.sh. Options:
#   --flows a,b,…       (default: signin,signin-totp,mfa-step,refresh,client-credentials,read-me,read-mfa,signup-email,sms-code)
#   --concurrency N[,N…] (default 4)   --duration S (default 20)   --warmup S (default 3)   --no-build
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
install_prerequisites

command="./bench.sh $*"
flows="signin,signin-totp,mfa-step,refresh,client-credentials,read-me,read-mfa,signup-email,sms-code"
concurrency=4; duration=20; warmup=3; build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --flows) flows=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "Unknown option $1 (see the top of bench.sh)" >&2; exit 2 ;;
  esac
done

if [ "$build" = 1 ]; then
  echo "Building Release…"
  dotnet build AuthPlatform.CI.slnf -c Release -nologo -v quiet -clp:ErrorsOnly
  dotnet build bench/AuthPlatform.Bench/AuthPlatform.Bench.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
fi

out=artifacts/bench
rm -rf "$out"; mkdir -p "$out/flows"
data=$(mktemp -d /tmp/authplatform-bench.XXXXXX); chmod 755 "$data"  # PostgreSQL runs as its own user
# Below Linux's ephemeral range (32768–60999), where any outgoing connection can hold a port for a moment and a
# service that cannot bind its port stops the start, and below the tests' port blocks (20000–32499).
port_base=${BENCH_PORT_BASE:-19300}
export GATEWAY_PORT=${BENCH_GATEWAY_PORT:-19080} DASHBOARD_PORT=${BENCH_DASHBOARD_PORT:-19888}
gateway="http://localhost:$GATEWAY_PORT"
mail="http://localhost:$((port_base + 6))"

# Production-like logging; a benchmark is one client, so the per-client edge limits would only measure themselves.
# Production-like: not Development (no developer exception page, no DI scope validation on every resolution, OWASP
# hashing enforced, per-service broker users), but Staging rather than Production, which refuses the loopback
# http:// public address the harness calls.
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Staging}
export Logging__LogLevel__Default=Warning
for limit in SignUp SignIn Resend PasswordReset Mfa Refresh MfaStep SmsResend AccessKeyToken; do
  export "Gateway__RateLimits__${limit}PerMinute=100000000"
done
# Production keeps a sample of the traces, not every one: exporting every span to the dashboard cost more CPU than
# most services did (docs/benchmarks.md). OTEL_TRACES_SAMPLER in the caller's environment wins.
export OTEL_TRACES_SAMPLER=${OTEL_TRACES_SAMPLER:-parentbased_traceidratio}
export OTEL_TRACES_SAMPLER_ARG=${OTEL_TRACES_SAMPLER_ARG:-0.01}
# The AppHost's development defaults export metrics every second and batch spans and logs for one second (a dashboard
# that updates live); the OpenTelemetry SDK's own defaults are 60 s and 5 s. The idle platform spent 20 % of a core
# with the former, 14 % with these (docs/benchmarks.md). The caller's values win here too.
export OTEL_METRIC_EXPORT_INTERVAL=${OTEL_METRIC_EXPORT_INTERVAL:-60000}
export OTEL_BSP_SCHEDULE_DELAY=${OTEL_BSP_SCHEDULE_DELAY:-5000} OTEL_BLRP_SCHEDULE_DELAY=${OTEL_BLRP_SCHEDULE_DELAY:-5000}
# The same for account's per-account cap on correct sign-ins (a few accounts sign in hundreds of times a minute).
export SignIn__MaxSuccessesPerAccountPerMinute=100000000
# Texts go to the harness, which answers as Twilio during the sms-code flow; one client on loopback texting hundreds
# of numbers would otherwise only meet verification's SMS limits.
sms_provider="http://127.0.0.1:$((port_base + 40))"
export Twilio__AccountSid=ACbenchbenchbenchbenchbenchbench01 Twilio__AuthToken=bench-token Twilio__From=+15005550006
export Twilio__BaseUrl=$sms_provider
for limit in PerAddressLimit PerPrefixLimit PerAccountLimit EnrolmentNumbersPerAccountPerDay GlobalDailyCap; do
  export "Sms__$limit=100000000"
done

# Every process the platform runs inherits this marker: the CPU sampler finds them by it (the orchestrator is not a
# child of run.sh).
export AUTHPLATFORM_BENCH="bench-$$-$RANDOM"
echo "Starting the platform (Release, data in $data, log in $out/platform.log, the services' logs in $out/logs)…"
./run.sh --no-build --servers local --data "$data" --port-base "$port_base" >"$out/platform.log" 2>&1 &
platform=$!
sampler=""
stop_all() {
  [ -n "$sampler" ] && kill -TERM "$sampler" 2>/dev/null || true
  kill -TERM "$platform" 2>/dev/null || true
  wait "$platform" 2>/dev/null || true
  # The services' own logs outlive the data folder: an error in a flow is explained there.
  [ -d "$data/logs" ] && rm -rf "$out/logs" && cp -r "$data/logs" "$out/logs"
  rm -rf "$data"
}
trap stop_all EXIT
for _ in $(seq 1 300); do
  grep -q "AuthPlatform is running" "$out/platform.log" 2>/dev/null && break
  kill -0 "$platform" 2>/dev/null || { echo "The platform stopped while starting:"; tail -30 "$out/platform.log"; exit 1; }
  sleep 1
done
grep -q "AuthPlatform is running" "$out/platform.log" || { echo "The platform did not start within 300 s."; tail -30 "$out/platform.log"; exit 1; }
echo "Running at $gateway."

env -u AUTHPLATFORM_BENCH python3 bench/cpu-by-process.py sample "AUTHPLATFORM_BENCH=$AUTHPLATFORM_BENCH" >"$out/cpu.csv" &
sampler=$!
# The harness against this platform (it does not carry the marker: its CPU is reported apart).
bench_tool() {
  env -u AUTHPLATFORM_BENCH dotnet artifacts/bin/AuthPlatform.Bench/release/AuthPlatform.Bench.dll "$@"
}
harness() {
  local flow=$1; shift
  bench_tool "$flow" --gateway "$gateway" --mail "$mail" "$@"
}
# A quiet minute first: the report's idle memory, and the services' own start-up work out of the first flow's way
# (the portal and verification still spent 1-2 % of a core each 40 s after the start, and under 0.3 % a minute later;
# sign-in, CPU-bound, paid for it: docs/benchmarks.md, seventh pass).
sleep 60
idle_end=$(date -u '+%H:%M:%S')
# Then an unmeasured warm-up of the common path (gateway, bearer tokens, EF Core and Npgsql, the internal call to
# MFA, token rotation): the first flow after a start otherwise pays for the JIT and for start-up work, and showed
# up to five times the CPU per request of the same flow run later (docs/benchmarks.md).
echo "Warming up (read-me and refresh, 10 s each, not measured)…"
for flow in read-me refresh; do
  harness "$flow" --concurrency "$concurrency" --duration 10 --warmup 0 >>"$out/warm-up.log" 2>&1 || true
done

IFS=',' read -r -a flow_list <<<"$flows"
cat >"$out/run.json" <<JSON
{"command": "$command", "date": "$(date -u '+%Y-%m-%d %H:%M')", "machine": "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)",
 "cores": $(nproc), "configuration": "Release", "environment": "$ASPNETCORE_ENVIRONMENT", "logLevel": "Warning", "traces": "$OTEL_TRACES_SAMPLER ${OTEL_TRACES_SAMPLER_ARG:-}", "metricExportMs": $OTEL_METRIC_EXPORT_INTERVAL, "concurrency": "$concurrency", "duration": $duration, "warmup": $warmup,
 "idleEnd": "$idle_end", "flows": [$(printf '"%s",' "${flow_list[@]}" | sed 's/,$//')]}
JSON
status=0
ceiling_measured=0
for flow in "${flow_list[@]}"; do
  # The sign-in ceiling (cores ÷ one hash on every core), measured right before the first password flow: what a hash
  # costs here moves by 15 % between runs, so the report compares sign-in with a ceiling of the same minutes.
  if [[ "$flow" == signin* && $ceiling_measured == 0 ]]; then
    echo "=== sign-in ceiling"
    bench_tool hash --ceiling --json "$out/ceiling.json" | tee -a "$out/bench.log" || status=1
    ceiling_measured=1
  fi
  echo "=== $flow"
  harness "$flow" --sms-provider "$sms_provider" --concurrency "$concurrency" --duration "$duration" --warmup "$warmup" --json "$out/flows/$flow.json" \
    | tee -a "$out/bench.log" || status=1
done
# What the gateway adds: read-mfa again, straight to one MFA replica (its public listener, the first in its URLs).
if [[ ",$flows," == *",read-mfa,"* ]]; then
  mfa_url=""
  for pid in $(pgrep -f 'Mfa\.dll'); do
    tr '\0' '\n' </proc/"$pid"/environ 2>/dev/null | grep -qx "AUTHPLATFORM_BENCH=$AUTHPLATFORM_BENCH" || continue
    mfa_url=$(tr '\0' '\n' </proc/"$pid"/environ | sed -n 's/^ASPNETCORE_URLS=\([^;]*\).*/\1/p'); break
  done
  if [ -n "$mfa_url" ]; then
    echo "=== read-mfa-direct ($mfa_url)"
    harness read-mfa --direct "$mfa_url" --concurrency "$concurrency" --duration "$duration" --warmup "$warmup" --json "$out/flows/read-mfa-direct.json" \
      | tee -a "$out/bench.log" || status=1
  fi
fi
kill -TERM "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=""

echo
python3 bench/report.py "$out"
echo
echo "Report: $out/report.md and $out/report.json"
exit $status
