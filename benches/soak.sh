#!/usr/bin/env bash
# Soak run (not in CI): tickwire against a local server whose quotes and feeds change
# every second, polled every second, for DURATION seconds (default 1800). Samples the
# TUI's resident memory every 30 s and checks that memory stays flat, headlines stay
# capped and no error piles up. Needs tmux and python3. Usage: benches/soak.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-1800}
PORT=${SOAK_PORT:-18777}
WORK=$(mktemp -d)
trap 'tmux kill-session -t tickwire-soak 2>/dev/null || true; kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

cargo build --release --quiet
python3 benches/soak_server.py "$PORT" & SERVER=$!
sleep 1

{
  printf '[general]\nquote_interval = "1s"\nnews_interval = "1s"\ntimeout = "5s"\nmax_headlines = 500\n\n'
  printf '[[watchlist]]\nname = "Soak"\nsymbols = ["NVDA", "AAPL", "MSFT", "AVGO", "TSM", "META", "AMD", "INTC", "ASML", "ARM"]\n\n'
  for n in $(seq 1 20); do printf '[[feed]]\nname = "Soak %s"\nurl = "http://127.0.0.1:%s/feeds/%s.xml"\n\n' "$n" "$PORT" "$n"; done
  printf '[quotes]\nproviders = ["yahoo"]\n[providers.yahoo]\nbase_url = "http://127.0.0.1:%s/yahoo"\n' "$PORT"
  printf '[news]\nper_symbol = false\n[halts]\nenabled = false\n[market]\nindex = "none"\n[signals]\nvolume = false\n'
} > "$WORK/config.toml"

tmux new-session -d -s tickwire-soak -x 160 -y 48 \
  "exec env XDG_STATE_HOME=$WORK ./target/release/tickwire -c $WORK/config.toml --cache $WORK/cache.db"
sleep 5
PID=$(pgrep -f "^./target/release/tickwire -c $WORK/config.toml" | head -1)
echo "seconds,rss_kb,headlines_line"
samples=()
for ((t = 0; t <= DURATION; t += 30)); do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
  line=$(tmux capture-pane -p -t tickwire-soak | grep -o 'Headlines [0-9]*/[0-9]*' | head -1)
  echo "$t,$rss,$line"
  samples+=("$rss")
  [ "$t" -lt "$DURATION" ] && sleep 30
done
status=$(tmux capture-pane -p -t tickwire-soak | tail -1)
echo "status line at the end: $status"
first=${samples[2]:-${samples[0]}}; last=${samples[-1]}
growth=$(( (last - first) * 100 / first ))
echo "rss from ${first} kB (after a minute) to ${last} kB: ${growth}%"
total=$(echo "$line" | sed 's|.*/||')
[ "${total:-0}" -le 500 ] || { echo "FAIL: headlines not capped ($line)"; exit 1; }
[ "$growth" -le 25 ] || { echo "FAIL: memory grew ${growth}%"; exit 1; }
case "$status" in *error*|*HTTP*|*timed\ out*) echo "FAIL: errors at the end: $status"; exit 1;; esac
echo "PASS"
