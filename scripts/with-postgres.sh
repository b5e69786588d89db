#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a throwaway PostgreSQL cluster (temp dir, own
# socket and port), always stopped and removed afterwards. Usage: scripts/with-postgres.sh CMD...
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  else
    echo "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin" >&2; exit 1
  fi
fi
tmp=$(mktemp -d /tmp/lianfang-pg.XXXXXX)
port=${PGTEST_PORT:-54329}
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$tmp"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
# Collation C, as docs/deploy.md asks of a production database: UTF-8 text sorts by code point
# exactly as under C.UTF-8, but compares with memcmp (every text index of a large import).
"${as_pg[@]}" "$bindir/initdb" -D "$tmp/data" -U lianfang --auth=trust -E UTF8 --locale=C.UTF-8 \
  --lc-collate=C >/dev/null
# Durability off (a throwaway cluster); memory as docs/deploy.md recommends for a server.
"${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w \
  -o "-k $tmp -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=1GB -c max_wal_size=4GB" start >/dev/null
export DATABASE_URL="postgres://lianfang@/lianfang?host=$tmp&port=$port"
"${as_pg[@]}" "$bindir/createdb" -h "$tmp" -p "$port" -U lianfang lianfang
"$@"
