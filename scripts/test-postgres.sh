#!/usr/bin/env bash
# The whole suite against a throwaway PostgreSQL cluster.
set -euo pipefail
uv_cmd=$(command -v uv 2>/dev/null || echo "python3 -m uv")
exec "$(dirname "$0")/with-postgres.sh" $uv_cmd run --frozen pytest -p no:cacheprovider -n 2 --dist loadgroup
