#!/usr/bin/env bash
# One command: install, ingest the bundled sample corpus, query it, export it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
CG=.venv/bin/claimgraph
STORE=${STORE:-demo-store}
OUT=${OUT:-out}
mkdir -p "$OUT"
rm -rf "$STORE"
echo "== ingest examples/corpus =="
$CG ingest examples/corpus --store "$STORE"
echo
echo "== contested claims (supported and disputed) =="
$CG query contested-claims --store "$STORE" --limit 10
echo
echo "== who disputes whom =="
$CG query who-disputes-whom --store "$STORE" --limit 10
echo
$CG validate --store "$STORE"
$CG export --store "$STORE" --format trig -o "$OUT/sample.trig"
$CG viz --store "$STORE" -o "$OUT/sample.html"
echo
echo "Done: open $OUT/sample.html in a browser (works offline) to explore the argument;"
echo "$OUT/sample.trig holds the whole graph (one named graph per document) for any RDF tool;"
echo "more questions: $CG query --list --store $STORE"
