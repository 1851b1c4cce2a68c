#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600), seeded from the test
# fixtures. Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain
# RUSTC_BOOTSTRAP=1 lets it use the sanitizer flags it needs.
# Findings land in fuzz/artifacts/<target>/; add each as a fixture with a test.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${1:-600}
export RUSTC_BOOTSTRAP=1
mkdir -p corpus/feed_ingest corpus/quote_parsers corpus/config_load corpus/stream_frame
for f in ../tests/fixtures/feeds/*; do printf "\\0" | cat - "$f" > "corpus/feed_ingest/$(basename "$f")"; done
for f in ../tests/fixtures/yahoo/*.json; do cp "$f" "corpus/quote_parsers/yahoo-$(basename "$f")"; done
for f in ../tests/fixtures/nasdaq/*.json; do cp "$f" "corpus/quote_parsers/nasdaq-$(basename "$f")"; done
cp ../tests/invalid_configs/*.toml ../config/*.toml corpus/config_load/
printf '%s' '{"type":"pricing","message":"CgROVkRBFQqXAEMYwNzx85RlOAA="}' > corpus/stream_frame/nvda.json
for target in feed_ingest quote_parsers config_load stream_frame; do
  echo "== $target for ${SECONDS_EACH}s"
  cargo fuzz run --release "$target" "corpus/$target" -- \
    -max_total_time="$SECONDS_EACH" -max_len=262144 -rss_limit_mb=2048 -print_final_stats=1 2>&1 | tail -20
done
