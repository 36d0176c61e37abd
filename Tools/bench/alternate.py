#!/usr/bin/env python3
"""Runs two things in turn, round after round, and prints each one's spread.

On a shared machine a figure is trusted only against another measured in the
same minutes (BENCHMARKS.md, note 5). Run `Tools/bench/run` first: it leaves
the ledgers in $BENCH_DIR.

  alternate.py snapshot ROUNDS BIN_A LEDGER_A BIN_B LEDGER_B
      `accord splits --year 2024 --format json` from each ledger's snapshot
      (give each binary its own copy of the ledger if their snapshots differ)
  alternate.py ledger-cli ROUNDS BIN BENCH_DIR
      ledger-cli's balance as Tools/bench/run runs it, then ten Accord
      snapshot runs, each round; prints the ratio of the medians
  alternate.py batch ROUNDS BIN_A BIN_B EVENTS
      one `accord append` of EVENTS onto a fresh empty ledger each
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

os.environ["ACCORD_CLOCK"] = "2025-04-01T09:00:00Z"


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def splits(binary, ledger):
    return [binary, "splits", "--year", "2024", "--format", "json", "--ledger", ledger]


def spread(name, seconds, unit=1000, label="ms"):
    values = sorted(seconds)
    print(f"{name}: min {values[0] * unit:.1f} median {statistics.median(values) * unit:.1f} "
          f"max {values[-1] * unit:.1f} {label} over {len(values)} runs")
    return statistics.median(values)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    mode, rounds = argv[1], int(argv[2])
    if mode == "snapshot" and len(argv) == 7:
        pairs = [(argv[3], argv[4]), (argv[5], argv[6])]
        times = {pair: [] for pair in pairs}
        for _ in range(rounds):
            for pair in pairs:
                times[pair].append(timed(splits(*pair)))
        for pair in pairs:
            spread(pair[0], times[pair])
    elif mode == "ledger-cli" and len(argv) == 5:
        binary, work = argv[3], argv[4]
        ledger = [
            "ledger", "-f", f"{work}/large/journal.ledger", "balance", "-b", "2024-04-01", "-e", "2025-04-01",
            "--flat", "--no-total", "--balance-format", "%(account)\t%(quantity(scrub(display_total)))\n",
            "councils", "unapportioned",
        ]
        peer, accord = [], []
        for _ in range(rounds):
            peer.append(timed(ledger))
            accord += [timed(splits(binary, f"{work}/large/ledger.jsonl")) for _ in range(10)]
        peer_median = spread("ledger-cli", peer, 1, "s")
        accord_median = spread("accord from its snapshot", accord)
        print(f"ledger-cli ÷ accord: {peer_median / accord_median:.0f}×")
    elif mode == "batch" and len(argv) == 6:
        binaries, events = argv[3:5], argv[5]
        times = {binary: [] for binary in binaries}
        for _ in range(rounds):
            for binary in binaries:
                with tempfile.TemporaryDirectory() as directory:
                    ledger = f"{directory}/ledger.jsonl"
                    subprocess.run([binary, "init", "--ledger", ledger], stdout=subprocess.DEVNULL, check=True)
                    times[binary].append(timed([binary, "append", "--ledger", ledger, events]))
        medians = [spread(binary, times[binary]) for binary in binaries]
        print(f"first ÷ second: {medians[0] / medians[1]:.2f}×")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
