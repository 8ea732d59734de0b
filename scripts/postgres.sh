#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL server (Debian's binaries, no container) for focuson's
# engine tests, or to try `focuson find --engine postgres` on this machine.
#
#   scripts/postgres.sh start DIR [PORT]   initdb into DIR (once), start the server, print its URL
#   scripts/postgres.sh stop DIR           stop it (the files in DIR stay; rm -rf DIR to drop them)
#
# The server listens on a Unix socket in DIR and, only when PORT is given, on 127.0.0.1:PORT.
# Authentication is "trust" for local connections: a test server, never one for real data.
# PostgreSQL refuses to run as root: as root, DIR is given to the Debian `postgres` user and the
# server runs as that user (DIR's parents must let it in, e.g. a folder under /tmp).
set -euo pipefail

usage() {
    echo "usage: scripts/postgres.sh start DIR [PORT] | stop DIR" >&2
    exit 2
}

BIN="${FOCUSON_PG_BIN:-}"
if [ -z "$BIN" ]; then
    for candidate in /usr/lib/postgresql/*/bin; do
        [ -x "$candidate/pg_ctl" ] && BIN="$candidate"
    done
fi
if [ -z "$BIN" ] || [ ! -x "$BIN/pg_ctl" ]; then
    echo "postgres.sh: no PostgreSQL server binaries (pg_ctl) found under /usr/lib/postgresql;" \
        "run scripts/setup.sh --engines (or set FOCUSON_PG_BIN to their folder)." >&2
    exit 1
fi

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

[ $# -ge 2 ] || usage
ACTION="$1"
DIR="$(realpath -m "$2")"
PORT="${3:-}"

case "$ACTION" in
    start)
        mkdir -p "$DIR"
        if [ "$(id -u)" = 0 ]; then
            chown postgres: "$DIR"
        fi
        if [ ! -f "$DIR/data/PG_VERSION" ]; then
            # --no-sync and fsync=off: a scratch server, durability does not matter, speed does.
            as_owner "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 \
                --locale=C --no-sync >"$DIR/initdb.log" 2>&1 ||
                { cat "$DIR/initdb.log" >&2; exit 1; }
        fi
        LISTEN="''"
        SOCKET_PORT="${PORT:-5432}"
        if [ -n "$PORT" ]; then
            LISTEN=127.0.0.1
        fi
        OPTS="-c listen_addresses=$LISTEN -p $SOCKET_PORT -k $DIR -c fsync=off"
        OPTS="$OPTS -c synchronous_commit=off -c full_page_writes=off -c TimeZone=UTC"
        as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -o "$OPTS" -w -t 60 start \
            >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
        if [ -n "$PORT" ]; then
            echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
        else
            echo "postgresql://postgres@/postgres?host=$DIR&port=$SOCKET_PORT"
        fi
        ;;
    stop)
        if [ -f "$DIR/data/postmaster.pid" ]; then
            as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
        fi
        ;;
    *) usage ;;
esac
