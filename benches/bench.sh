#!/usr/bin/env bash
# Benchmark of dossier at the scale of a real monitor: a generated edition of 200 records.
#
#   bash benches/bench.sh
#
# Builds the release binary, generates synthetic corpora with `dossier synth`, and prints
# each figure with its target and PASS/FAIL: cold render, no-change rerun, one-record edit,
# parallel speed-up, the book's share of the cold render, the book's size and soundness, peak memory, the
# stock Typst compiler on the same documents (one reused compiler per core, and once per
# profile), and (when the commands exist) check, diff and import.
#
# Environment: BENCH_DIR (work directory, default target/bench), COUNTRIES (default 200),
# SEED (default 1), PAIRS (repeats of the cold render against the stock compiler, of the edit,
# of the book and of the --jobs comparison, whose medians are reported; default 5),
# SKIP_STOCK=1 to skip the stock-compiler baselines.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
WORK=${BENCH_DIR:-$REPO/target/bench}
COUNTRIES=${COUNTRIES:-200}
SEED=${SEED:-1}
PAIRS=${PAIRS:-5}
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])' 2>/dev/null || echo "$REPO/target")
DOSSIER=$TARGET_DIR/release/dossier

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time"
    (apt-get install -y time >/dev/null 2>&1 || sudo apt-get install -y time >/dev/null 2>&1) || {
        echo "GNU time (/usr/bin/time) is required: apt-get install time" >&2
        exit 2
    }
fi

echo "== building the release binary"
cargo build --release --quiet
"$DOSSIER" --version

rm -rf "$WORK"
mkdir -p "$WORK"
FIGURES=$WORK/figures.txt
: >"$FIGURES"

# measure NAME COMMAND...: runs the command, stores wall seconds, peak KiB and CPU seconds
# (user and system) in $WALL, $RSS and $CPU.
measure() {
    local name=$1
    shift
    local stats=$WORK/$name.time
    local code=0
    /usr/bin/time -f "%e %M %U %S" -o "$stats" "$@" >"$WORK/$name.log" 2>&1 || code=$?
    # GNU time puts "Command exited with non-zero status N" first when the command fails
    # (check exits 1 on findings); the figures are always on the last line.
    local user system
    read -r WALL RSS user system < <(tail -n 1 "$stats")
    CPU=$(python3 -c "print(f'{$user + $system:.2f}')")
    if [ "$code" -gt 1 ]; then
        echo "  $name failed (exit $code), see $WORK/$name.log" >&2
        tail -5 "$WORK/$name.log" >&2
    fi
}

# report LABEL VALUE UNIT OP TARGET: prints a figure with its target and PASS/FAIL.
report() {
    local label=$1 value=$2 unit=$3 op=$4 target=$5
    local verdict
    if python3 -c "import sys; v,t=float('$value'),float('$target'); sys.exit(0 if (v<t if '$op'=='<' else v<=t if '$op'=='<=' else v>=t) else 1)"; then
        verdict=PASS
    else
        verdict=FAIL
    fi
    printf '%-58s %10s %-4s target %s %s %-4s %s\n' "$label" "$value" "$unit" "$op" "$target" "$unit" "$verdict" | tee -a "$FIGURES"
}

na() {
    printf '%-58s %10s\n' "$1" "not available: $2" | tee -a "$FIGURES"
}

ratio() { python3 -c "print(f'{$1/$2:.3f}')"; }

median() { python3 -c "import statistics, sys; print(f'{statistics.median(float(a) for a in sys.argv[1:]):.3f}'.rstrip('0').rstrip('.'))" "$@"; }

echo "== generating corpora ($COUNTRIES countries, seed $SEED)"
"$DOSSIER" --quiet synth --countries "$COUNTRIES" --editions 1 --seed "$SEED" --out "$WORK/edition"
"$DOSSIER" --quiet synth --countries "$COUNTRIES" --editions 2 --seed "$SEED" --out "$WORK/two"
"$DOSSIER" --quiet synth --countries "$COUNTRIES" --editions 5 --seed "$SEED" --out "$WORK/thousand"
EDITION=$WORK/edition
YEAR=$(ls "$EDITION/profiles")
NRECORDS=$(ls "$EDITION/profiles/$YEAR" | wc -l)
NCHECK=$(find "$WORK/thousand/profiles" -name '*.toml' | wc -l)
echo "   $NRECORDS records in edition $YEAR; $NCHECK records for check"

echo "== stock Typst compiler"
STOCK_AVAILABLE=0
if [ "${SKIP_STOCK:-0}" != 1 ]; then
    VENV=$WORK/venv
    python3 -m venv "$VENV"
    # The Python package whose compiler is Typst 0.15.1, the version dossier embeds.
    VERSION=${STOCK_VERSION:-0.15.2}
    echo "   stock compiler: Python package typst==$VERSION (Typst 0.15.1, as dossier embeds)"
    "$VENV/bin/pip" install --quiet "typst==$VERSION"
    # The stock compiler used well: one process per core, each keeping one compiler for all
    # its documents (round robin), the same PDF standards as dossier's profiles.
    cat >"$WORK/stock_warm.py" <<'PY'
import os
import sys

import typst

root, jobs = sys.argv[1], int(sys.argv[2])
os.chdir(root)
mains = sorted(
    os.path.join(d, f)
    for d in os.listdir(".")
    if d.isdigit()
    for f in os.listdir(d)
    if f.endswith(".typ")
)
fonts = ["templates/fonts"] if os.path.isdir("templates/fonts") else []
children = []
for worker in range(jobs):
    pid = os.fork()
    if pid == 0:
        compiler = typst.Compiler(root=".", font_paths=fonts, ignore_system_fonts=True)
        for main in mains[worker::jobs]:
            compiler.compile(input=main, output=main[:-4] + ".pdf", pdf_standards=["a-2a", "ua-1"])
        os._exit(0)
    children.append(pid)
sys.exit(1 if any(os.waitpid(pid, 0)[1] != 0 for pid in children) else 0)
PY
    cat >"$WORK/stock.sh" <<SH
#!/usr/bin/env bash
# One fresh compiler process per profile, as a team without dossier would run it. (The book
# is not counted: dossier assembles it from the profiles' PDFs, the stock compiler would
# have to lay out every profile a second time.)
set -e
cd "$EDITION/typst-src"
for main in $YEAR/*.typ; do
    "$VENV/bin/python" -c 'import sys, typst; typst.compile(sys.argv[1], output=sys.argv[1][:-4] + ".pdf", root=".", font_paths=["templates/fonts"], ignore_system_fonts=True, pdf_standards=["a-2a", "ua-1"])' "\$main"
done
SH
    "$DOSSIER" --quiet --project "$EDITION" render --no-book --out "$EDITION/out-emit" --emit-typst "$EDITION/typst-src" >/dev/null 2>&1 || true
    STOCK_AVAILABLE=1
fi

echo "== render"
# Cold renders (empty output directory), each followed by the stock compiler when available
# (one reused compiler per core, then once per profile): $PAIRS rounds, the medians reported.
COLDS=()
WARMS=()
WARM_RATIOS=()
STOCKS=()
STOCK_RATIOS=()
COLD_RSS=0
for i in $(seq 1 "$PAIRS"); do
    rm -rf "$EDITION/out"
    measure cold "$DOSSIER" --quiet --project "$EDITION" render --out "$EDITION/out"
    COLDS+=("$WALL")
    COLD_RSS=$((RSS > COLD_RSS ? RSS : COLD_RSS))
    if [ "$STOCK_AVAILABLE" = 1 ]; then
        rm -f "$EDITION/typst-src/$YEAR"/*.pdf
        measure warm "$VENV/bin/python" "$WORK/stock_warm.py" "$EDITION/typst-src" "$(nproc)"
        WARMS+=("$WALL")
        WARM_RATIOS+=("$(ratio "${COLDS[-1]}" "$WALL")")
        WARM_PDFS=$(ls "$EDITION/typst-src/$YEAR"/*.pdf 2>/dev/null | wc -l)
        rm -f "$EDITION/typst-src/$YEAR"/*.pdf
        measure stock bash "$WORK/stock.sh"
        STOCKS+=("$WALL")
        STOCK_RATIOS+=("$(ratio "${COLDS[-1]}" "$WALL")")
        echo "   round $i: dossier $(printf %s "${COLDS[-1]}") s, stock reused per core ${WARMS[-1]} s ($WARM_PDFS PDFs), stock per profile $WALL s ($(ls "$EDITION/typst-src/$YEAR"/*.pdf 2>/dev/null | wc -l) PDFs)"
    else
        echo "   cold render $i: ${COLDS[-1]} s"
    fi
done
COLD=$(median "${COLDS[@]}")
measure rerun "$DOSSIER" --quiet --project "$EDITION" render --out "$EDITION/out"
RERUN=$WALL
# The book's share of the cold render: each cold render less a cold render of the same
# profiles without the book (every profile laid out and written, no book), pair by pair.
# (A book is made from its profiles' pages, so making it alone means laying them out again:
# what the book adds to a render is the difference.)
BOOK=$EDITION/out/book-$YEAR.pdf
# The same for the CPU time (user and system), beside it.
BOOK_SHARES=()
BOOK_CPU_SHARES=()
for i in $(seq 1 "$PAIRS"); do
    rm -rf "$EDITION/out-nobook" "$EDITION/out-book"
    measure book "$DOSSIER" --quiet --project "$EDITION" render --out "$EDITION/out-book"
    BOOK_WALL=$WALL
    BOOK_CPU=$CPU
    measure nobook "$DOSSIER" --quiet --project "$EDITION" render --no-book --out "$EDITION/out-nobook"
    BOOK_SHARES+=("$(python3 -c "print(f'{max(0.0, $BOOK_WALL - $WALL) / $BOOK_WALL * 100:.1f}')")")
    BOOK_CPU_SHARES+=("$(python3 -c "print(f'{max(0.0, $BOOK_CPU - $CPU) / $BOOK_CPU * 100:.1f}')")")
    echo "   pair $i: with the book $BOOK_WALL s ($BOOK_CPU s CPU), without $WALL s ($CPU s CPU)"
done
BOOK_SIZE=$(python3 -c "import os, sys; print(f'{os.path.getsize(sys.argv[1]) / 1e6:.2f}')" "$BOOK")
BOOK_PAGES=$(pdfinfo "$BOOK" 2>/dev/null | sed -n 's/^Pages: *//p')
# The profiles' PDFs of the last cold render with the book, together (informational).
PROFILES_SIZE=$(find "$EDITION/out-book/$YEAR" -name '*.pdf' -printf '%s\n' | awk '{s += $1} END {printf "%.2f", s / 1e6}')
QPDF_ERRORS=0
qpdf --check "$BOOK" >"$WORK/qpdf.log" 2>&1 || QPDF_ERRORS=$?
# Fonts embedded more than once: pdffonts rows beyond one per font name (subset tag removed).
pdffonts "$BOOK" 2>/dev/null | tail -n +3 | awk '{print $1}' >"$WORK/fonts.txt"
FONTS=$(sed 's/^[A-Z]\{6\}+//' "$WORK/fonts.txt" | sort -u | grep -c . || true)
REPEATS=$(($(grep -c . "$WORK/fonts.txt" || true) - FONTS))
# One-record edits: a sentence added to one record each time, median of $PAIRS.
FIRST=$(ls "$EDITION/profiles/$YEAR" | head -1)
EDITS=()
for i in $(seq 1 "$PAIRS"); do
    python3 - "$EDITION/profiles/$YEAR/$FIRST" "$i" <<'PY'
import sys
path, n = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
sentence = f"An editor added sentence number {n} to the policy section.\n\n"
text = text.replace('title = "Policy"\ntext = """\n', 'title = "Policy"\ntext = """\n' + sentence, 1)
open(path, "w", encoding="utf-8").write(text)
PY
    measure edit "$DOSSIER" --project "$EDITION" render --out "$EDITION/out"
    EDITS+=("$WALL")
    grep -E "written" "$WORK/edit.log" | tail -1 | sed "s/^/   edit $i: $WALL s, /"
done
EDIT=$(median "${EDITS[@]}")
# Profile throughput: --jobs 1 and all cores in turn, $PAIRS pairs, the median of the ratios.
# Beside them, what the machine itself allows: the same profiles dealt round robin to one
# independent `--jobs 1` process per core, started together (they share nothing but the
# machine: no memory, no cache of Typst's, no lock), against the same --jobs 1 run.
cat >"$WORK/split.sh" <<SH
#!/usr/bin/env bash
set -e
mapfile -t RECORDS < <(find "$EDITION/profiles" -name '*.toml' | sort)
N=\$(nproc)
PIDS=()
for ((k = 0; k < N; k++)); do
    SHARE=()
    for ((r = k; r < \${#RECORDS[@]}; r += N)); do SHARE+=("\${RECORDS[r]}"); done
    "$DOSSIER" --quiet --project "$EDITION" render --no-book --force --jobs 1 --out "$EDITION/out-split-\$k" "\${SHARE[@]}" &
    PIDS+=(\$!)
done
for pid in "\${PIDS[@]}"; do wait "\$pid"; done
SH
RATIOS=()
CEILINGS=()
for i in $(seq 1 "$PAIRS"); do
    measure serial "$DOSSIER" --quiet --project "$EDITION" render --no-book --force --jobs 1 --out "$EDITION/out-serial"
    SERIAL=$WALL
    measure parallel "$DOSSIER" --quiet --project "$EDITION" render --no-book --force --out "$EDITION/out-parallel"
    PARALLEL=$WALL
    measure split bash "$WORK/split.sh"
    RATIOS+=("$(ratio "$SERIAL" "$PARALLEL")")
    CEILINGS+=("$(ratio "$SERIAL" "$WALL")")
    echo "   pair $i: --jobs 1 $SERIAL s, --jobs $(nproc) $PARALLEL s, $(nproc) separate processes $WALL s"
done
SPEEDUP=$(median "${RATIOS[@]}")
CEILING=$(median "${CEILINGS[@]}")

echo "== check, diff, import ($PAIRS runs each, medians reported)"
OLD=$(ls "$WORK/two/profiles" | head -1)
NEW=$(ls "$WORK/two/profiles" | tail -1)
# The 1,000-record corpus exported as published-style plain text, then imported into an empty
# project (fictional countries have no ISO code, so one is given for all).
"$DOSSIER" --quiet --project "$WORK/thousand" export --format text "$WORK/thousand/profiles" --out "$WORK/text" >/dev/null 2>&1
mapfile -t TEXTS < <(find "$WORK/text" -name '*.txt' | sort)
CHECKS=()
DIFFS=()
IMPORTS=()
for i in $(seq 1 "$PAIRS"); do
    measure check "$DOSSIER" --quiet --project "$WORK/thousand" check "$WORK/thousand/profiles"
    CHECKS+=("$WALL")
    measure diff "$DOSSIER" --quiet --project "$WORK/two" diff "$WORK/two/profiles/$OLD" "$WORK/two/profiles/$NEW"
    DIFFS+=("$WALL")
    rm -rf "$WORK/imported"
    mkdir -p "$WORK/imported/profiles"
    measure import "$DOSSIER" --quiet --project "$WORK/imported" import --iso XX "${TEXTS[@]}"
    IMPORTS+=("$WALL")
done
CHECK=$(median "${CHECKS[@]}")
DIFF=$(median "${DIFFS[@]}")
IMPORT=$(median "${IMPORTS[@]}")
echo "   check ${CHECKS[*]} s; diff ${DIFFS[*]} s; import ${IMPORTS[*]} s"
echo "   imported $(find "$WORK/imported/profiles" -name '*.toml' | wc -l) of ${#TEXTS[@]} text profiles"

echo
echo "== figures ($NRECORDS-record edition, $(nproc) cores; command: bash benches/bench.sh)"
report "cold render, $NRECORDS profiles + book (wall, median)" "$COLD" s "<" 10
if [ "$STOCK_AVAILABLE" = 1 ]; then
    printf '%-58s %10s %-4s\n' "stock compiler, one reused per core, no book (wall, median)" "$(median "${WARMS[@]}")" s | tee -a "$FIGURES"
    report "cold render / stock compiler reused per core (median of $PAIRS)" "$(median "${WARM_RATIOS[@]}")" x "<=" 0.75
    printf '%-58s %10s %-4s\n' "  (ratios ${WARM_RATIOS[*]})" "" "" | tee -a "$FIGURES"
    printf '%-58s %10s %-4s\n' "stock compiler, once per profile, no book (wall, median)" "$(median "${STOCKS[@]}")" s | tee -a "$FIGURES"
    report "cold render / stock compiler per profile (median of $PAIRS)" "$(median "${STOCK_RATIOS[@]}")" x "<=" 0.5
    printf '%-58s %10s %-4s\n' "  (ratios ${STOCK_RATIOS[*]})" "" "" | tee -a "$FIGURES"
else
    na "cold render / stock compiler" "skipped"
fi
report "profile throughput, --jobs $(nproc) vs --jobs 1 (median of $PAIRS)" "$SPEEDUP" x ">=" 1.9
printf '%-58s %10s %-4s\n' "  (ratios ${RATIOS[*]}; profiles only)" "" "" | tee -a "$FIGURES"
printf '%-58s %10s %-4s\n' "  the machine's own: $(nproc) separate --jobs 1 processes" "$CEILING" x | tee -a "$FIGURES"
printf '%-58s %10s %-4s\n' "  (ratios ${CEILINGS[*]})" "" "" | tee -a "$FIGURES"
report "book's share of the cold render (median of $PAIRS)" "$(median "${BOOK_SHARES[@]}")" % "<=" 5
printf '%-58s %10s %-4s\n' "  (shares ${BOOK_SHARES[*]})" "" "" | tee -a "$FIGURES"
printf '%-58s %10s %-4s\n' "  of its CPU time (median of $PAIRS)" "$(median "${BOOK_CPU_SHARES[@]}")" % | tee -a "$FIGURES"
printf '%-58s %10s %-4s\n' "  (shares ${BOOK_CPU_SHARES[*]})" "" "" | tee -a "$FIGURES"
report "book of $NRECORDS profiles, $BOOK_PAGES pages (size)" "$BOOK_SIZE" MB "<=" 3
printf '%-58s %10s %-4s\n' "the $NRECORDS profiles' PDFs together (size)" "$PROFILES_SIZE" MB | tee -a "$FIGURES"
report "book: qpdf --check exit code" "$QPDF_ERRORS" "" "<=" 0
report "book: fonts embedded more than once ($FONTS fonts)" "$REPEATS" "" "<=" 0
report "no-change rerun (wall)" "$RERUN" s "<" "$(python3 -c "print(f'{0.05*$COLD:.3f}')")"
report "one-record edit, profile + book (wall, median of $PAIRS)" "$EDIT" s "<" 1.5
report "peak memory of the cold renders (largest)" "$(python3 -c "print(f'{$COLD_RSS/1024:.0f}')")" MiB "<=" 500
report "check of $NCHECK records (wall, median)" "$CHECK" s "<" 1
report "diff of two $NRECORDS-record editions (wall, median)" "$DIFF" s "<" 1
report "import of ${#TEXTS[@]} text profiles (wall, median)" "$IMPORT" s "<" 1
echo
echo "figures saved to $FIGURES"
