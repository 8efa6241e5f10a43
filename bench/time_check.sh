#!/bin/sh
# Time `check` against `build --no-pdf` of one synthetic organization with the code of one checkout.
#
#   sh bench/time_check.sh CHECKOUT ORG_DIR [RUNS]
#
# ORG_DIR is an organization written by bench/make_org.py (the build writes site/ into it). CHECKOUT's
# generator/ package is the one imported; the venv of this repository gives the libraries. Each of RUNS rounds
# (default 2) runs check, then the build, then check again; one line per command: CPU (user + sys,
# children included) and peak RSS from /usr/bin/time -v, and the 1-minute load average. Compare CPU:
# wall-clock time follows the load of the shared machine. BUILD_FLAGS is added to the build command
# (e.g. BUILD_FLAGS=--force where the checkout has incremental builds, so that each build is a full one).
set -eu
checkout=$(cd "$1" && pwd)
org=$2
runs=${3:-2}
python=${PYTHON:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/python}
measure() {
    log=$(mktemp)
    (cd "$checkout" && /usr/bin/time -v "$python" -m generator -p "$org" "$@" >/dev/null 2>"$log") || {
        tail -20 "$log"; exit 1; }
    user=$(sed -n 's/.*User time (seconds): //p' "$log")
    sys=$(sed -n 's/.*System time (seconds): //p' "$log")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
    echo "$* cpu=$(echo "$user + $sys" | bc)s wall=$wall maxrss=${rss}kB load=$(cut -d' ' -f1 /proc/loadavg)"
    rm -f "$log"
}
echo "checkout=$checkout org=$org"
i=0
while [ "$i" -lt "$runs" ]; do
    measure check
    measure build --no-pdf ${BUILD_FLAGS:-}
    measure check
    i=$((i + 1))
done
