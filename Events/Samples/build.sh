#!/usr/bin/env bash
# Rebuilds every sample ledger Events/Samples/<name>.jsonl from its input
# Events/Samples/<name>.input.jsonl, deterministically: the same inputs and the
# same accord give byte-identical ledgers on every run.
#
# Each input line is appended on its own, with the ledger's clock fixed by
# ACCORD_CLOCK to the line's effective date at 09:00:00Z plus the line number
# in seconds (line 7 of a 2013-04-01 event: 2013-04-01T09:00:07Z). The clock
# never goes backwards: if an instant would be earlier than the one before, the
# previous instant plus one second is used instead.
#
# Usage: Events/Samples/build.sh            (builds accord with `swift build`)
#        ACCORD=path/to/accord Events/Samples/build.sh
set -euo pipefail

# Resolve $ACCORD before changing directory, so a relative path still works.
accord="${ACCORD:-}"
if [[ -n "$accord" && "$accord" == */* ]]; then
    accord="$(cd "$(dirname "$accord")" && pwd)/$(basename "$accord")"
fi

samples="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$samples/../.."

if [[ -z "$accord" ]]; then
    swift build >&2
    accord="$(swift build --show-bin-path)/accord"
fi
if ! command -v "$accord" >/dev/null 2>&1; then
    echo "build.sh: accord not found at $accord" >&2
    exit 2
fi

# Prints one ACCORD_CLOCK instant per non-blank line of the input file, as
# "LINE<TAB>INSTANT"; exits non-zero on a line without a valid effective date.
clocks() {
    python3 - "$1" <<'EOF'
import datetime, json, sys
path = sys.argv[1]
previous = None
with open(path, encoding="utf-8") as f:
    for number, line in enumerate(f, 1):
        if not line.strip():
            continue
        try:
            day = datetime.date.fromisoformat(json.loads(line)["effective"])
        except Exception as error:
            sys.exit(f"build.sh: {path}:{number}: no valid effective date ({error})")
        instant = datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.timezone.utc)
        instant += datetime.timedelta(seconds=number)
        if previous is not None and instant <= previous:
            instant = previous + datetime.timedelta(seconds=1)
        previous = instant
        print(f"{number}\t{instant.strftime('%Y-%m-%dT%H:%M:%SZ')}")
EOF
}

shopt -s nullglob
# The appender's checkpoints are caches, never kept, even if a step fails.
trap 'rm -rf -- Events/Samples/*.checkpoint Events/Samples/*.checkpoint.tmp Events/Samples/*.checkpoint.d' EXIT
inputs=(Events/Samples/*.input.jsonl)
if [[ ${#inputs[@]} -eq 0 ]]; then
    echo "build.sh: no Events/Samples/*.input.jsonl inputs found" >&2
    exit 2
fi

for input in "${inputs[@]}"; do
    ledger="${input%.input.jsonl}.jsonl"
    rm -rf -- "$ledger" "$ledger.checkpoint" "$ledger.checkpoint.tmp" "$ledger.checkpoint.d"
    "$accord" init --ledger "$ledger" >/dev/null

    schedule="$(clocks "$input")"
    mapfile -t lines <"$input"
    count=0
    while IFS=$'\t' read -r number instant; do
        status=0
        printf '%s\n' "${lines[number - 1]}" |
            ACCORD_CLOCK="$instant" "$accord" append --ledger "$ledger" - >/dev/null || status=$?
        if [[ $status -ne 0 ]]; then
            echo "build.sh: $input line $number was not appended (exit $status); see the error above" >&2
            exit 1
        fi
        count=$((count + 1))
    done <<<"$schedule"

    rm -rf -- "$ledger.checkpoint" "$ledger.checkpoint.tmp" "$ledger.checkpoint.d"
    echo "$ledger: $count records"
done

# Every ledger must verify; the checkpoints are caches and are not kept.
for input in "${inputs[@]}"; do
    ledger="${input%.input.jsonl}.jsonl"
    echo "== $ledger"
    "$accord" verify --ledger "$ledger"
    rm -rf -- "$ledger.checkpoint" "$ledger.checkpoint.tmp" "$ledger.checkpoint.d"
done
