#!/bin/sh
# Copy the front-end libraries pinned in package-lock.json into tracker/static/vendor/.
# Installs them with `npm ci` first when node_modules is missing or older than the lock file.
# Used by the Makefile and the Dockerfile's assets stage; works from any directory.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENDOR="$ROOT/tracker/static/vendor"
cd "$ROOT"

# npm writes node_modules/.package-lock.json on every install: use it as the install stamp.
STAMP=node_modules/.package-lock.json
# swagger-ui-dist depends on @scarf/scarf, whose install script reports downloads: keep it quiet.
export SCARF_ANALYTICS=false
if [ ! -f "$STAMP" ] || [ package-lock.json -nt "$STAMP" ] || [ package.json -nt "$STAMP" ]; then
    npm ci --no-audit --no-fund
fi

# vendor_file PACKAGE FILE...: copy FILEs (relative to node_modules/PACKAGE) into vendor/PACKAGE/.
vendor_file() {
    package=$1
    shift
    mkdir -p "$VENDOR/$package"
    for file in "$@"; do
        cp "node_modules/$package/$file" "$VENDOR/$package/"
    done
}

rm -rf "$VENDOR/chart.js" "$VENDOR/chartjs-chart-matrix" "$VENDOR/@kurkle" "$VENDOR/swagger-ui-dist"
# Swagger UI for /api/v1/docs (OPENAPI_SWAGGER_UI_URL points here), with its licence and notice.
vendor_file swagger-ui-dist LICENSE NOTICE swagger-ui.css swagger-ui-bundle.js \
    swagger-ui-bundle.js.LICENSE.txt swagger-ui-standalone-preset.js \
    swagger-ui-standalone-preset.js.LICENSE.txt
# chart.js last: its UMD file is the Makefile's target, so it must be the newest file written.
vendor_file chartjs-chart-matrix LICENSE dist/chartjs-chart-matrix.min.js.map dist/chartjs-chart-matrix.min.js
# Chart.js's UMD build bundles its colour library; ship that licence alongside.
vendor_file @kurkle/color LICENSE.md
vendor_file chart.js LICENSE.md dist/chart.umd.min.js.map dist/chart.umd.min.js

echo "Vendored chart.js, chartjs-chart-matrix, swagger-ui-dist and their licences into ${VENDOR#"$ROOT"/}/"
