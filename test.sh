#!/usr/bin/env bash
# ./test.sh — every test in AuthPlatform.CI.slnf. Each test assembly starts the platform through the AppHost
# (Aspire.Hosting.Testing): real PostgreSQL, Redis, RabbitMQ and MailDev processes on free loopback ports, every
# service and the gateway. Ends with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
install_prerequisites

echo "Building AuthPlatform.CI.slnf…"
dotnet build AuthPlatform.CI.slnf -c Debug -nologo -v quiet -clp:ErrorsOnly

# Everything a test starts inherits this marker (the AppHost runs in the test process; Aspire's orchestrator and
# every resource it starts inherit its environment); whatever still carries it at the end is killed, so even a
# crashed test process leaves no server behind.
export AUTHPLATFORM_TEST_RUN="test-$$-$RANDOM"
cleanup() {
  for environ in /proc/[0-9]*/environ; do
    if grep -qsa "AUTHPLATFORM_TEST_RUN=$AUTHPLATFORM_TEST_RUN" "$environ" 2>/dev/null; then
      pid=${environ#/proc/}; pid=${pid%/environ}
      [ "$pid" != "$$" ] && kill -9 "$pid" 2>/dev/null || true
    fi
  done
}
trap cleanup EXIT

passed=0; failed=0; status=0; logs=()
mkdir -p artifacts/test-results
for project in $(grep -o 'tests[\\/][^"]*\.Tests\.csproj' AuthPlatform.CI.slnf | tr '\\' '/'); do
  name=$(basename "$project" .csproj)
  [ -z "${TEST_FILTER:-}" ] || [[ "$name" == *"$TEST_FILTER"* ]] || continue
  echo "=== $name"
  # xunit v3 test projects are executables: run them directly, one assembly at a time (each starts its own servers).
  logs+=("artifacts/test-results/$name.log")
  set +e
  dotnet "artifacts/bin/$name/debug/$name.dll" -noColor -xml "artifacts/test-results/$name.xml" 2>&1 \
    | tee "artifacts/test-results/$name.log"
  rc=${PIPESTATUS[0]}
  set -e
  summary=$(grep -E "Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+" "artifacts/test-results/$name.log" | tail -1 || true)
  if [ -z "$summary" ]; then
    echo "$name produced no test summary (exit code $rc)"; failed=$((failed + 1)); status=1; continue
  fi
  total=$(sed -E 's/.*Total: ([0-9]+).*/\1/' <<<"$summary")
  errors=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$summary")
  fails=$(sed -E 's/.*Failed: ([0-9]+).*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: ([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed + total - fails - skipped))
  failed=$((failed + fails + errors))
  [ "$rc" -eq 0 ] && [ "$fails" -eq 0 ] && [ "$errors" -eq 0 ] || status=1
done

# The failures again at the end, where a CI log's tail shows them.
[ ${#logs[@]} -eq 0 ] || grep -h "\[FAIL\]" "${logs[@]}" 2>/dev/null | sed 's/^ */FAILED: /' || true
echo "$passed passed, $failed failed"
exit $status
