#!/usr/bin/env bash
# Findings-report benchmark: end-to-end `ganome annotate … --out DIR` per panel case
# (hyperfine medians) and the in-process time per case (build + six renderers, references
# loaded once, as in the service). Cases: PCGR T001-COAD and T001-BRCA (GRCh38) and a
# 500-variant panel case (first 500 records of T001-COAD). Transcript database from
# data/transcripts; knowledge release built from data/knowledge.
#
#   bench/report.sh            # RUNS=20 in-process; the CLI timing needs a release `ganome`
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
OUT="${OUT:-$CARGO_TARGET_DIR/bench-report}"
RUNS="${RUNS:-20}"
mkdir -p "$OUT"

if [ -z "${SKIP_BUILD:-}" ]; then
    cargo build --release -q -p ganome-report --example bench_report
fi
BENCH="$CARGO_TARGET_DIR/release/examples/bench_report"
GANOME="$CARGO_TARGET_DIR/release/ganome"   # optional: built with `cargo build --release -p ganome-cli`

D=data/transcripts
V=testdata/variants
CASES=("$V/T001-COAD.grch38.vcf.gz:COADREAD" "$V/T001-BRCA.grch38.vcf.gz:BRCA" "testdata/report/T001-COAD.head500.vcf:COADREAD")

echo "== per case in process (read VCF + build_report + render_all), $RUNS runs"
"$BENCH" "$D/transcripts.chrom_coords.gff3" "$D/genomic_slices.fa" "$OUT/work" "$RUNS" "${CASES[@]}" \
    | tee "$OUT/inprocess.tsv"

[ -x "$GANOME" ] || { echo "no release ganome binary: skipping the end-to-end CLI timing"; exit 0; }
echo "== end to end: ganome annotate --out (process start, loading txdb + release, six files)"
CMDS=()
for c in "${CASES[@]}"; do
    vcf="${c%%:*}"; tt="${c##*:}"; name=$(basename "$vcf")
    CMDS+=("$GANOME annotate --quiet --txdb $OUT/work/cancer.txdb --kb $OUT/work/kb-release.json --tumor-type $tt $vcf --out $OUT/out-$name")
done
if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 2 --export-markdown "$OUT/e2e.md" "${CMDS[@]}"
else
    echo "hyperfine not found (apt-get install -y hyperfine); timing one run each"
    for cmd in "${CMDS[@]}"; do /usr/bin/time -f "%e s %M KB  $cmd" $cmd; done
fi
