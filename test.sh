#!/usr/bin/env bash
# ./test.sh — every test in AuthPlatform.CI.slnf. Each test assembly starts the platform through the AppHost
# (Aspire.Hosting.Testing): real PostgreSQL, Redis, RabbitMQ and MailDev processes on free loopback ports, every
# service and the gateway. Fails before any test when the code's style drifts from .editorconfig (scripts/style.sh).
# Ends with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
install_prerequisites

echo "Building AuthPlatform.CI.slnf…"
dotnet build AuthPlatform.CI.slnf -c Debug -nologo -v quiet -clp:ErrorsOnly
echo "Checking the style (.editorconfig)…"
scripts/style.sh

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

mkdir -p artifacts/test-results
# Longest first, so the lanes finish close together; any other assembly follows in the filter's order.
assemblies=()
for project in $(grep -o 'tests[\\/][^"]*\.Tests\.csproj' AuthPlatform.CI.slnf | tr '\\' '/'); do
  name=$(basename "$project" .csproj)
  [ -z "${TEST_FILTER:-}" ] || [[ "$name" == *"$TEST_FILTER"* ]] || continue
  assemblies+=("$name")
done
ordered=()
for name in Mfa.Tests Account.Tests Portal.Tests Faults.Tests Notification.Tests Cli.Tests; do
  [[ " ${assemblies[*]} " == *" $name "* ]] && ordered+=("$name")
done
for name in "${assemblies[@]}"; do
  [[ " ${ordered[*]} " == *" $name "* ]] || ordered+=("$name")
done

# xunit v3 test projects are executables: each assembly starts its own servers on free ports, so assemblies are
# independent. They run in TEST_LANES parallel lanes (default 3): most of a test's time is spent waiting
# (TOTP steps, cooldowns, retries), not computing. Each assembly's output is printed whole when it ends.
run_assembly() {
  local name=$1 log="artifacts/test-results/$1.log"
  # The test process runs minutes: the JIT's profiling tier costs more than it earns (the services get it too).
  DOTNET_TieredPGO=0 dotnet "artifacts/bin/$name/debug/$name.dll" -noColor -xml "artifacts/test-results/$name.xml" >"$log" 2>&1
  echo "exit code $?" >>"$log"
  flock artifacts/test-results/.print -c "echo '=== $name'; cat '$log'"
}
export -f run_assembly
rm -f artifacts/test-results/*.log artifacts/test-results/*.xml
printf '%s\n' "${ordered[@]}" | xargs -r -P "${TEST_LANES:-3}" -I{} bash -c 'run_assembly {}'

passed=0; failed=0; status=0
for name in "${ordered[@]}"; do
  log="artifacts/test-results/$name.log"
  rc=$(sed -nE 's/^exit code ([0-9]+)$/\1/p' "$log" | tail -1)
  summary=$(grep -E "Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+" "$log" | tail -1 || true)
  if [ -z "$summary" ]; then
    echo "$name produced no test summary (exit code ${rc:-?})"; failed=$((failed + 1)); status=1; continue
  fi
  total=$(sed -E 's/.*Total: ([0-9]+).*/\1/' <<<"$summary")
  errors=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$summary")
  fails=$(sed -E 's/.*Failed: ([0-9]+).*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: ([0-9]+).*/\1/' <<<"$summary")
  time=$(sed -E 's/.*Time: ([0-9.]+s).*/\1/' <<<"$summary")
  echo "$name: $((total - fails - skipped)) passed, $((fails + errors)) failed, $time"
  passed=$((passed + total - fails - skipped))
  failed=$((failed + fails + errors))
  [ "${rc:-1}" -eq 0 ] && [ "$fails" -eq 0 ] && [ "$errors" -eq 0 ] || status=1
done

# The failures again at the end, where a CI log's tail shows them: each with its message and the first lines of
# its stack trace, so a failure in CI can be understood from the tail alone.
logs=("${ordered[@]/#/artifacts/test-results/}")
[ ${#logs[@]} -eq 0 ] || awk '
  BEGIN { shown = -1 }
  FNR == 1 { shown = -1 }
  /\[FAIL\]/ { sub(/^ */, "FAILED: "); print; shown = 0; stack = -1; next }
  shown >= 0 && shown < 40 && stack < 8 {
    if ($0 ~ /^ *(Output:|Finished:|===)/ || $0 ~ /\[(FAIL|PASS|SKIP)\]/) { shown = -1; next }
    if ($0 ~ /Stack Trace:/) stack = 0; else if (stack >= 0) stack++
    print "  " $0; shown++
  }' "${logs[@]/%/.log}" 2>/dev/null || true
echo "$passed passed, $failed failed"
exit $status
