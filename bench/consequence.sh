#!/usr/bin/env bash
# Consequence calling benchmark: `ganome annotate --format bcsq` beside `bcftools csq`,
# on the same GFF3 + FASTA + VCF (GRCh38 cancer-gene slices, seeded synthetic variants).
# Reports variants/s, peak RSS (/usr/bin/time -v) and the share of identical BCSQ values.
#
#   bench/consequence.sh            # 100k and 1M variants
#   SIZES="100000" bench/consequence.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
OUT="${OUT:-$CARGO_TARGET_DIR/bench-consequence}"
SIZES="${SIZES:-100000 1000000}"
SEED="${SEED:-20261125}"
mkdir -p "$OUT"

command -v bcftools >/dev/null || { echo "bcftools not found (apt-get install -y bcftools)" >&2; exit 1; }
if [ -z "${SKIP_BUILD:-}" ]; then
    cargo build --release -q -p ganome-cli
    cargo build --release -q -p ganome-genomics --example synth_variants
fi
GANOME="$CARGO_TARGET_DIR/release/ganome"
SYNTH="$CARGO_TARGET_DIR/release/examples/synth_variants"

# Same inputs for both tools: slice-coordinate GFF3 + slice FASTA, with slice names made
# plain ("chr7:55014032-55258620" -> "chr7_55014032_55258620") so bcftools' faidx reads them.
D=data/transcripts
# bcftools (1.16) also wants Ensembl-style ids: ID=gene:…, ID=transcript:…, biotype=…
awk 'BEGIN{FS=OFS="\t"} /^#/ {gsub(/:/,"_"); gsub(/-/,"_"); print; next}
     {gsub(/[:-]/,"_",$1);
      if ($3=="gene") { sub(/ID=/,"ID=gene:",$9); $9=$9";biotype=protein_coding" }
      else if ($3=="mRNA") { sub(/ID=/,"ID=transcript:",$9); sub(/Parent=/,"Parent=gene:",$9); $9=$9";biotype=protein_coding" }
      else { sub(/Parent=/,"Parent=transcript:",$9) }
      print}' \
    "$D/transcripts.slice_coords.gff3" > "$OUT/slices.gff3"
sed -E '/^>/ s/^>([^ :]+):([0-9]+)-([0-9]+)/>\1_\2_\3/' "$D/genomic_slices.fa" > "$OUT/slices.fa"
rm -f "$OUT/slices.fa.fai"
"$GANOME" txdb build --gff "$OUT/slices.gff3" --fasta "$OUT/slices.fa" -o "$OUT/slices.txdb" >/dev/null

measure() { # label, command... -> prints "seconds maxrss_kb"
    local log="$OUT/time.$1.log"; shift
    /usr/bin/time -v "$@" 2> "$log" >/dev/null
    local wall rss
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
    echo "$wall $rss"
}

printf "%-9s %-8s %10s %12s %10s\n" variants tool seconds variants/s peak_MB
for N in $SIZES; do
    VCF="$OUT/synth.$N.vcf"
    "$SYNTH" "$OUT/slices.txdb" "$N" "$SEED" > "$VCF"
    NV=$(grep -vc '^#' "$VCF")
    read -r gs gr < <(measure "ganome.$N" "$GANOME" annotate --txdb "$OUT/slices.txdb" "$VCF" --format bcsq -o "$OUT/ganome.$N.vcf" --quiet)
    read -r bs br < <(measure "bcftools.$N" bcftools csq -f "$OUT/slices.fa" -g "$OUT/slices.gff3" "$VCF" -Ov -o "$OUT/bcftools.$N.vcf")
    awk -v n="$NV" -v s="$gs" -v r="$gr" 'BEGIN{printf "%-9d %-8s %10.2f %12.0f %10.1f\n", n, "ganome", s, n/s, r/1024}'
    awk -v n="$NV" -v s="$bs" -v r="$br" 'BEGIN{printf "%-9d %-8s %10.2f %12.0f %10.1f\n", n, "bcftools", s, n/s, r/1024}'
    awk -v g="$gs" -v b="$bs" 'BEGIN{printf "speed-up (bcftools time / ganome time): %.2fx\n", b/g}'
    # identical calls: compare BCSQ per record, consequences sorted within the record
    norm() { grep -v '^#' "$1" | awk -F'\t' '{b="."; n=split($8,a,";"); for(i=1;i<=n;i++) if (a[i] ~ /^BCSQ=/) b=substr(a[i],6); m=split(b,c,","); s=""; for(i=1;i<=m;i++) x[i]=c[i]; asort(x); for(i=1;i<=m;i++) s=s (i>1?",":"") x[i]; delete x; print $1"\t"$2"\t"$4"\t"$5"\t"s}'; }
    paste <(norm "$OUT/ganome.$N.vcf") <(norm "$OUT/bcftools.$N.vcf") \
        | awk -F'\t' '{t++; if ($5==$10) s++} END{printf "identical BCSQ: %d/%d records (%.3f%%)\n", s, t, 100*s/t}'
done
