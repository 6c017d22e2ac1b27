#!/usr/bin/env bash
# scripts/style.sh — checks the C# against .editorconfig (layout, usings, file-scoped namespaces, var, field names);
# scripts/style.sh --fix rewrites what drifted. test.sh runs the check after its build.
# Offline: --no-restore uses the restore the build did. About a minute on two cores, almost all of it loading the
# projects for the style rules; the layout check reads the files only (seconds).
set -uo pipefail
cd "$(dirname "$0")/.."

solution=AuthPlatform.CI.slnf
if [ "${1:-}" = "--fix" ]; then
  dotnet format whitespace --folder --exclude artifacts tools -v q
  dotnet format style "$solution" --no-restore --severity warn -v q
  exit
fi

report=$(mktemp)
trap 'rm -f "$report"' EXIT
dotnet format whitespace --folder --exclude artifacts tools --verify-no-changes -v q >"$report" 2>&1
whitespace=$?
dotnet format style "$solution" --verify-no-changes --no-restore --severity warn -v q >>"$report" 2>&1
style=$?
[ $whitespace -eq 0 ] && [ $style -eq 0 ] && exit 0

# dotnet format prints one line per finding, "path(line,col): error RULE: what [project]"; name each file once.
files=$(sed -nE "s#^$PWD/([^(]+)\(.*#\1#p" "$report" | sort -u)
if [ -z "$files" ]; then
  echo "The style check could not run:" >&2
  cat "$report" >&2
else
  echo "Style differs from .editorconfig in:" >&2
  sed 's/^/  /' <<<"$files" >&2
  echo "Details:" >&2
  sed -E "s#^$PWD/##; s# \[[^]]*\]\$##" "$report" | sort -u | sed 's/^/  /' >&2
  echo "Fix with: scripts/style.sh --fix (then review the diff)" >&2
fi
exit 1
