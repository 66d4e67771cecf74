#!/bin/sh
# National indicators over a large generated data folder (see docs/benchmarks.md).
# Usage: bench/indicators.sh [CASES] [RUNS] [DATA_DIR]
set -eu
cases=${1:-100000}
runs=${2:-50}
dir=${3:-target/bench-indicators-$cases}
cargo build --release -p ganome-cli
cargo build --release -p ganome-service --example indicators_bench
bin=${CARGO_TARGET_DIR:-target}/release
if [ ! -f "$dir/ganome.db" ]; then
    /usr/bin/time -v "$bin/ganome" demo --scenario survey-2019 --cases "$cases" \
        --data-dir "$dir" --no-serve 2>&1 | grep -E "Scenario|Elapsed|Maximum resident"
fi
# In process: the service call as the API makes it (store queries, assembly, audit row).
"$bin/examples/indicators_bench" "$dir" 2019-06-01 2019-10-31 "$runs"
# End to end through the CLI (process start, migrations check, JSON printing).
if command -v hyperfine >/dev/null; then
    hyperfine --warmup 2 --runs "$runs" --export-json "$dir/hyperfine.json" \
        "$bin/ganome indicators survey --data-dir $dir --from 2019-06-01 --to 2019-10-31 --format json"
fi
