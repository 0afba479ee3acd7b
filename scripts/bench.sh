#!/usr/bin/env bash
# The benchmark behind `make bench`: builds a release lsm, makes (once) a generated 1 GiB transcript
# corpus in .build-bench/corpus, and measures cold indexing, re-indexing, `git lsm status`, peak memory,
# the peers' loaders (claude-monitor, claude-code-log, from PyPI into .build-bench/venv), the token
# totals against scripts/bench/reference_totals.py, and `lsm monitor` (CPU, append-to-screen latency,
# in tmux) and `lsm statusline`. Writes docs/benchmarks.md.
#
#   scripts/bench.sh                  the full benchmark (1 GiB corpus, 3 repetitions)
#   scripts/bench.sh --quick          64 MiB corpus, one repetition; report in .build-bench/benchmarks-quick.md
#   scripts/bench.sh --size-mb N      another corpus size (kept in .build-bench/corpus-Nmb-seedS)
#   other options (--seed, --runs, --skip-peers, --out FILE) go to scripts/bench/bench.py
#
# Needs Swift 6, Python 3 (with venv), /usr/bin/time, tmux (the monitor bars); installs Debian's time,
# hyperfine, tmux and python3-venv when missing and running as root. Exit status 1 when a bar is missed.
set -euo pipefail

cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"
WORK=.build-bench
VENV="$WORK/venv"
PEERS=(claude-monitor==4.0.0 claude-code-log==1.7.0)

die() { echo "bench: error: $*" >&2; exit 1; }

skip_peers=0
for arg in "$@"; do
	[ "$arg" = "--skip-peers" ] && skip_peers=1
done

# Tools from Debian: /usr/bin/time (peak RSS), hyperfine (timing loops; optional), tmux (a terminal for
# `lsm monitor`; without it those bars are skipped), python3-venv.
missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "bench: installing ${missing[*]}" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
			echo "bench: warning: could not install ${missing[*]}" >&2
	else
		echo "bench: note: missing ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2
	fi
fi
[ -x /usr/bin/time ] || die "/usr/bin/time is needed for peak memory (apt-get install time)"
command -v python3 >/dev/null 2>&1 || die "python3 is needed"

# (a) the release binary, with the commands the benchmark drives.
command -v "$SWIFT" >/dev/null 2>&1 || die "swift not found; install Swift 6 and put its usr/bin on PATH"
echo "bench: building lsm (release)" >&2
# The flags of `make build` (Swift's runtime linked statically), so the benchmark measures what `make install` installs.
release=(-c release --static-swift-stdlib)
"$SWIFT" build "${release[@]}" --product lsm >&2 || die "the release build failed (swift build ${release[*]} --product lsm)"
bin="$("$SWIFT" build "${release[@]}" --show-bin-path)/lsm"
[ -x "$bin" ] || die "no binary at $bin after the build"
for command in index list status; do
	"$bin" "$command" --help >/dev/null 2>&1 ||
		die "$bin has no '$command' command yet; the benchmark needs lsm index, list --all --json and status (issue 3)"
done

# (e) the peers, in a throw-away venv.
if [ "$skip_peers" -eq 0 ]; then
	if [ ! -x "$VENV/bin/python" ]; then
		python3 -m venv "$VENV" || die "python3 -m venv failed (apt-get install python3-venv)"
	fi
	if ! "$VENV/bin/python" - "${PEERS[@]}" <<'EOF' >/dev/null 2>&1
import sys
from importlib import metadata
for spec in sys.argv[1:]:
    name, version = spec.split("==")
    assert metadata.version(name) == version
EOF
	then
		echo "bench: installing ${PEERS[*]} into $VENV" >&2
		"$VENV/bin/pip" install -q --disable-pip-version-check "${PEERS[@]}" >&2 ||
			die "pip could not install ${PEERS[*]}"
	fi
fi

# (b)-(g) corpus, page cache, measurements, totals, report.
exec python3 scripts/bench/bench.py --lsm "$bin" --venv "$VENV" --work "$WORK" "$@"
