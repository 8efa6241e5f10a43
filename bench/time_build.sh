#!/bin/sh
# Time `build --no-pdf` of a synthetic organization with the code of one checkout.
#
#   sh bench/time_build.sh CHECKOUT N [OUT_DIR]
#
# CHECKOUT is a repository checkout (its generator/ package is the one imported, and its
# bench/make_org.py writes the organization); the venv of this repository (.venv beside bench/) is used for the libraries.
# Prints wall-clock and CPU (user + sys, children included) from /usr/bin/time -v.
set -eu
checkout=$(cd "$1" && pwd)
n=$2
out=${3:-/tmp/bench-org-$n-$(basename "$checkout")}
python=${PYTHON:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/python}
rm -rf "$out"
(cd "$checkout" && "$python" bench/make_org.py "$n" "$out" >/dev/null)
log=$(mktemp)
(cd "$checkout" && /usr/bin/time -v "$python" -m generator -p "$out" build --no-pdf >/dev/null 2>"$log") || {
    tail -20 "$log"; exit 1; }
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
user=$(sed -n 's/.*User time (seconds): //p' "$log")
sys=$(sed -n 's/.*System time (seconds): //p' "$log")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
echo "N=$n checkout=$checkout wall=$wall user=${user}s sys=${sys}s cpu=$(echo "$user + $sys" | bc)s maxrss=${rss}kB load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
rm -f "$log"
