#!/usr/bin/env bash
# make bench: every benchmark on SQLite (a fresh file) and on a throwaway PostgreSQL cluster.
# Figures are printed with their baseline measured in the same run. BENCH_ROWS sets the import's
# N, BENCH_SECONDS the check-in load's duration.
set -euo pipefail
cd "$(dirname "$0")/.."
uv_cmd=$(command -v uv 2>/dev/null || echo "python3 -m uv")
rows=${BENCH_ROWS:-1000000}  # the import budget is stated for a million rows
seconds=${BENCH_SECONDS:-10}
work=$(mktemp -d /tmp/lianfang-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p var/bench
export LIANFANG_BENCH_CACHE="$PWD/var/bench"  # generated input files, reused across runs
echo "== import, SQLite, $rows rows"
LIANFANG_VAR_DIR="$work/sqlite" DATABASE_URL="sqlite:///$work/bench.sqlite3" \
  $uv_cmd run --frozen lianfang bench import --rows "$rows" --database sqlite
echo "== import, PostgreSQL, $rows rows"
LIANFANG_VAR_DIR="$work/pg" scripts/with-postgres.sh \
  $uv_cmd run --frozen lianfang bench import --rows "$rows" --database postgres
echo "== self check-in, SQLite then PostgreSQL (throwaway cluster), ${seconds} s each"
LIANFANG_VAR_DIR="$work/checkin" DATABASE_URL="sqlite:///$work/checkin-runner.sqlite3" \
  $uv_cmd run --frozen lianfang bench checkin --seconds "$seconds"
echo "== daily-report roll-up, SQLite (province-sized tree, 1,000,000 persons)"
LIANFANG_VAR_DIR="$work/rollup" DATABASE_URL="sqlite:///$work/rollup.sqlite3" \
  $uv_cmd run --frozen lianfang bench rollup
rm -f "$work/rollup.sqlite3"*
echo "== daily-report roll-up, PostgreSQL"
LIANFANG_VAR_DIR="$work/rollup-pg" scripts/with-postgres.sh \
  $uv_cmd run --frozen lianfang bench rollup
echo "== checkpoint checks (5 occupants, 50 officers), SQLite then PostgreSQL (throwaway cluster)"
LIANFANG_VAR_DIR="$work/checkpoint" DATABASE_URL="sqlite:///$work/checkpoint-runner.sqlite3" \
  $uv_cmd run --frozen lianfang bench checkpoint --seconds "$seconds"
echo "== public tip-off (photos off, 50 connections), SQLite then PostgreSQL (throwaway cluster)"
LIANFANG_VAR_DIR="$work/tips" DATABASE_URL="sqlite:///$work/tips-runner.sqlite3" \
  $uv_cmd run --frozen lianfang bench tips --seconds "$seconds"
