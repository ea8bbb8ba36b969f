#!/usr/bin/env bash
# Checks the HTML reports as a person sees them: builds the report of the bundled default
# scenario (run_scenario --html), of its policy variants (compare_policies --html), of the
# contracts scenario's variants (compare_policies --html scenarios/contracts: the money
# charts, seven variants) and of a one-service scenario (scenarios/peer_mmc at 230 beds, so
# that patients queue: run_scenario with its daily series, compare_policies with one variant,
# and once more with the daily series off, whose report must say why charts are missing)
# and the capacity-planning page of scenarios/capacity_plan (optimise, a short run), opens
# each in headless Chromium, and checks that
#   1. the page has no external resources (it must read offline);
#   2. every chart was drawn at a real size with its data marks (the page's own render check,
#      read back from the DOM Chromium built: <body data-charts-ok="n/n">);
#   3. a full-page screenshot is not blank, and inside every chart's box on the screenshot
#      there are pixels in exactly that chart's data colours (so the data really was painted;
#      legends are drawn one colour step off, so they do not count);
#   4. no chart writes NaN or inf, and no axis labels two ticks alike.
#
#   bash scripts/check_report.sh [OUT_DIR]
#   bash scripts/check_report.sh --page NAME HTML [CHART_ID...]   (one page, already written)
#
# Reports, screenshots (run.png, compare.png, contracts.png, one.png, one_compare.png,
# one_no_daily.png, optimise.png) and logs stay in OUT_DIR (default: a fresh
# temporary folder); its path is printed at the end. Installs Debian's chromium when it is
# missing (needs root, as in CI). Exits non-zero with a message saying what failed.
set -euo pipefail
cd "$(dirname "$0")/.."

page=0
if [ "${1:-}" = "--page" ]; then
    [ $# -ge 3 ] || { echo "usage: $0 --page NAME HTML [CHART_ID...]" >&2; exit 2; }
    page=1
    shift
    out="$(mktemp -d -t careflow-report-XXXXXX)"
    html="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
    set -- "$1" "$html" "${@:3}"
else
    out="${1:-$(mktemp -d -t careflow-report-XXXXXX)}"
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
width=1200

step() { printf '\n==> %s\n' "$*"; }
fail() {
    echo "check_report: FAILED: $*" >&2
    exit 1
}

if ! command -v chromium >/dev/null 2>&1; then
    step "installing Debian's chromium"
    [ "$(id -u)" -eq 0 ] || fail "chromium is missing; install it with: apt-get install chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
if ! fc-list 2>/dev/null | grep -q .; then
    step "installing a font (the charts' text needs one)"
    [ "$(id -u)" -eq 0 ] || fail "no fonts; install one with: apt-get install fonts-dejavu-core"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-dejavu-core >/dev/null
fi
command -v python3 >/dev/null 2>&1 || fail "python3 is needed to read the screenshots"

# Headless Chromium with a fresh profile each time, nothing fetched from the network.
browse() {
    local profile
    profile="$(mktemp -d)"
    if ! timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --disable-extensions --hide-scrollbars --force-device-scale-factor=1 \
        --user-data-dir="$profile" "$@" 2>>"$out/chromium.log"; then
        rm -rf "$profile"
        return 1
    fi
    rm -rf "$profile"
}

# check NAME HTML [CHART_ID...]: the listed charts must be on the page (and, like every chart,
# drawn with data and painted in the screenshot).
check() {
    local name="$1" html="$2"
    shift 2
    step "checking $name: $html"
    [ -s "$html" ] || fail "$html was not written"
    local id
    for id in "$@"; do
        grep -q "<figure class=\"chart\" id=\"$id\"" "$html" || fail "$name: no chart $id"
    done

    # 4. Numbers: no NaN or infinity written anywhere, and no axis with two ticks labelled
    # alike (plotters writes each tick label as one <text> element between the axis's tick
    # marks: consecutive labels in one axis group would repeat).
    # Whole words: "infeasible" is not infinity.
    if grep -Eq '>[^<]*\b(NaN|inf)\b[^<]*<' "$html"; then
        fail "$name: the report writes NaN or inf"
    fi
    python3 - "$html" <<'PY' || fail "$name: an axis labels two ticks alike"
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
bad = []
for m in re.finditer(r'<figure class="chart" id="([^"]+)"(.*?)</figure>', html, re.S):
    fid, body = m.group(1), m.group(2)
    # Tick labels: a y axis's are anchored at their end and share an x; an x axis's are
    # anchored in their middle and share a y. Equal neighbours along one are repeated labels.
    # Labels on bars are raised above them (a negative dy): values, not ticks.
    texts = re.findall(
        r'<text x="(-?[\d.]+)" y="(-?[\d.]+)" (?!dy="-)[^>]*text-anchor="(end|middle)"[^>]*>\s*([^<]*?)\s*</text>',
        body)
    for anchor, same, along in (("end", 0, 1), ("middle", 1, 0)):
        groups = {}
        for t in texts:
            if t[2] == anchor:
                groups.setdefault(t[same], []).append((float(t[along]), t[3]))
        for labels in groups.values():
            labels.sort()
            words = [w for _, w in labels]
            if len(words) >= 2 and all(re.fullmatch(r'[−+]?£?[\d,.]+[km%]?', w) for w in words):
                for a, b in zip(words, words[1:]):
                    if a == b:
                        bad.append(f"{fid}: ticks {words}")
                        break
if bad:
    sys.exit("\n".join(sorted(set(bad))))
PY

    # 1. Self-contained: nothing to fetch (the SVG namespace is a name, not a fetch).
    if grep -Eq '<(link|img|iframe|object|embed)[ >]|[ "]src=|@import|url\(' "$html" ||
        grep -Eo 'https?://[^" ]*' "$html" | grep -qv '^http://www.w3.org/2000/svg$'; then
        fail "$name: the report refers to external resources"
    fi

    # 2. The page's render check, from the DOM after Chromium loaded and laid it out.
    local dom="$out/$name.dom.html"
    browse --window-size="$width,1000" --dump-dom "file://$html" >"$dom" ||
        fail "$name: chromium could not load the page (see $out/chromium.log)"
    local result expected height
    result="$(grep -o 'data-charts-ok="[0-9]*/[0-9]*"' "$dom" | head -n1 | cut -d'"' -f2)"
    expected="$(grep -o 'data-charts-expected="[0-9]*"' "$dom" | head -n1 | cut -d'"' -f2)"
    height="$(grep -o 'data-page-height="[0-9]*"' "$dom" | head -n1 | cut -d'"' -f2)"
    [ -n "$result" ] || fail "$name: the page's render check did not run (no data-charts-ok)"
    sed -n '/<pre id="render-check"/,/<\/pre>/p' "$dom" | sed -e 's/<[^>]*>//g' -e 's/^/  /'
    local ok="${result%/*}" total="${result#*/}"
    [ "$total" -gt 0 ] || fail "$name: the report has no charts"
    [ "$total" = "$expected" ] || fail "$name: $total charts on the page, $expected written"
    [ "$ok" = "$total" ] || fail "$name: only $ok of $total charts rendered with data"

    # 3. A full-page screenshot, then its pixels.
    local png="$out/$name.png"
    height=$((height < 800 ? 800 : height > 30000 ? 30000 : height))
    rm -f "$png"
    browse --window-size="$width,$height" --screenshot="$png" "file://$html" >/dev/null ||
        fail "$name: chromium could not take a screenshot (see $out/chromium.log)"
    [ -s "$png" ] || fail "$name: no screenshot at $png"
    grep -o 'data-chart-boxes="[^"]*"' "$dom" | head -n1 | cut -d'"' -f2 >"$out/$name.boxes"
    python3 - "$png" "$out/$name.boxes" <<'PY' || fail "$name: the screenshot $png failed the pixel check"
# Reads the PNG with the standard library only (8-bit RGB or RGBA, not interlaced, as
# Chromium writes it) and checks the page and each chart's box.
import struct, sys, zlib

path, boxes_path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit(f"{path}: not a PNG")
pos, idat = 8, []
while pos < len(data):
    (n,) = struct.unpack(">I", data[pos : pos + 4])
    kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
    pos += 12 + n
    if kind == b"IHDR":
        w, h, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat.append(body)
if depth != 8 or colour not in (2, 6) or interlace:
    sys.exit(f"{path}: unexpected PNG format (depth {depth}, colour type {colour})")
bpp = 3 if colour == 2 else 4
raw, stride = zlib.decompress(b"".join(idat)), w * bpp
rows, prev, i = [], bytearray(stride), 0
for _ in range(h):
    f, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
    i += 1 + stride
    if f == 1:
        for x in range(bpp, stride):
            line[x] = (line[x] + line[x - bpp]) & 255
    elif f == 2:
        line = bytearray((a + b) & 255 for a, b in zip(line, prev))
    elif f == 3:
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
    elif f == 4:
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line)
    prev = line

def pixel(x, y):
    r = rows[y]
    return r[x * bpp], r[x * bpp + 1], r[x * bpp + 2]

# The page as a whole: not blank.
sample = [pixel(x, y) for y in range(0, h, 7) for x in range(0, w, 7)]
inked = sum(1 for p in sample if p != (255, 255, 255)) / len(sample)
if len(set(sample)) < 16 or inked < 0.02:
    sys.exit(f"{path}: the page looks blank ({len(set(sample))} colours, {inked:.1%} not white)")
print(f"  screenshot {w}x{h}: {len(set(sample))} colours sampled, {inked:.1%} not white")

failed = 0
for entry in open(boxes_path).read().strip().split(";"):
    name, x0, y0, bw, bh, colours = entry.split(" ")
    x0, y0, bw, bh = int(x0), int(y0), int(bw), int(bh)
    targets = [tuple(int(c[k : k + 2], 16) for k in (1, 3, 5)) for c in colours.split(",") if c]
    if y0 + bh > h:
        # The screenshot is cut at 30,000 px; a chart past it cannot be checked here.
        print(f"  {name}: below the screenshot ({y0 + bh} > {h} px), NOT CHECKED")
        failed += 1
        continue
    hits, inked, n = 0, 0, 0
    for y in range(max(y0, 0), min(y0 + bh, h)):
        for x in range(max(x0, 0), min(x0 + bw, w)):
            p = pixel(x, y)
            n += 1
            if p != (255, 255, 255):
                inked += 1
            if p in targets:
                hits += 1
    ok = n > 0 and inked / n > 0.01 and hits >= 20
    failed += not ok
    print(f"  {name}: {'ok' if ok else 'EMPTY'} ({inked / max(n, 1):.1%} inked, {hits} px in data colours)")
if failed:
    sys.exit(f"{failed} chart(s) look empty in {path}")
PY
    echo "  $name: every chart rendered and is non-empty; screenshot $png"
}

# One page only: check it and stop.
if [ "$page" = 1 ]; then
    check "$@"
    step "report check passed"
    exit 0
fi

step "run_scenario --html (bundled default scenario, 3 replications)"
cargo run --release --example run_scenario -- --out "$out/run" --overwrite --replications 3 --html \
    >"$out/run.log" 2>&1 || { cat "$out/run.log"; fail "run_scenario failed"; }
grep '^wrote .*report.html' "$out/run.log"

step "compare_policies --html (its policy variants, 3 replications)"
cargo run --release --example compare_policies -- --out "$out/compare" --overwrite --replications 3 --html \
    >"$out/compare.log" 2>&1 || { cat "$out/compare.log"; fail "compare_policies failed"; }
grep '^wrote .*report.html' "$out/compare.log"

step "compare_policies --html scenarios/contracts (money by organisation, 3 replications)"
cargo run --release --example compare_policies -- scenarios/contracts --out "$out/contracts" --overwrite \
    --replications 3 --html >"$out/contracts.log" 2>&1 || {
    cat "$out/contracts.log"
    fail "compare_policies scenarios/contracts failed"
}
grep '^wrote .*report.html' "$out/contracts.log"

# A one-service scenario: scenarios/peer_mmc with 230 beds instead of 240 (so that patients
# queue), its daily series on, and one variant (back to 240 beds).
one="$out/one_service_scenario"
rm -rf "$one" "$one-no-daily"
cp -r scenarios/peer_mmc "$one"
sed -i 's/^daily_series,false$/daily_series,true/' "$one/settings.csv"
sed -i 's/^ward,acute_bed,trust,240,/ward,acute_bed,trust,230,/' "$one/services.csv"
printf 'variant,file,row,column,value\nward_240,services.csv,ward,capacity,240\n' >"$one/variants.csv"
grep -q '^daily_series,true$' "$one/settings.csv" && grep -q ',230,' "$one/services.csv" ||
    fail "could not set up the one-service scenario in $one"
cp -r "$one" "$one-no-daily"
sed -i 's/^daily_series,true$/daily_series,false/' "$one-no-daily/settings.csv"
for run in "run_scenario one $one" "compare_policies one_compare $one" \
    "compare_policies one_no_daily $one-no-daily"; do
    read -r example name dir <<<"$run"
    step "$example --html $dir (one service, 3 replications)"
    cargo run --release --example "$example" -- "$dir" --out "$out/$name" --overwrite \
        --replications 3 --html >"$out/$name.log" 2>&1 || {
        cat "$out/$name.log"
        fail "$example $dir failed"
    }
    grep '^wrote .*report.html' "$out/$name.log"
done

step "optimise (scenarios/capacity_plan, a short run: 3 replications a configuration)"
cargo run --release --example optimise -- --out "$out/optimise" --overwrite --first-stage 3 \
    --max-replications 6 --finalists 2 >"$out/optimise.log" 2>&1 || {
    cat "$out/optimise.log"
    fail "optimise failed"
}
grep '^wrote .*optimisation.html' "$out/optimise.log"

# Each service's queue, delayed patients and patients awaiting funding over time (where not
# 0 throughout); with variants, each variant's occupancy beside the baseline's in place of
# the baseline's own occupancy charts.
check run "$out/run/report.html" chart-occupancy-acute chart-flow-acute chart-flow-ed \
    chart-waits-ed
check compare "$out/compare/report.html" chart-forest chart-occupancy-beside-acute \
    chart-occupancy-beside-community chart-flow-acute chart-flow-ed
# Money: the baseline's income, spending and surplus by organisation, each variant's change
# in surplus, and each organisation's surplus in every replication per variant (their data
# colours are checked in the screenshot like every chart's).
check contracts "$out/contracts/report.html" chart-money chart-money-forest \
    chart-surplus-spread chart-forest \
    chart-occupancy-beside-acute chart-occupancy-beside-d2a_beds chart-flow-acute
check one "$out/one/report.html" chart-occupancy-ward chart-flow-ward
check one_compare "$out/one_compare/report.html" chart-occupancy-beside-ward chart-flow-ward \
    chart-forest
check one_no_daily "$out/one_no_daily/report.html" chart-forest
for why in "no charts of queues, delayed patients and patients awaiting funding" \
    "so there are no occupancy charts"; do
    grep -q "$why" "$out/one_no_daily/report.html" ||
        fail "one_no_daily: the report does not say why charts are missing ($why)"
done

# The optimisation's page: a chart of the objective against each decision.
check optimise "$out/optimise/optimisation.html"
grep -q '<figure class="chart" id="chart-objective-baseline-' "$out/optimise/optimisation.html" ||
    fail "optimise: no chart of the objective against a decision"

step "report check passed"
echo "reports and screenshots in $out: run.png, compare.png, contracts.png, one.png, one_compare.png, one_no_daily.png, optimise.png"
