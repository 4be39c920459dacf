#!/usr/bin/env bash
# Stop what scripts/ckan/up.sh started (CKAN, then Solr unless the other local CKAN still uses
# it: scripts/ckan/solr.sh release); keep all data.
#   --ckan-only   stop CKAN (and its jobs worker, if any) but leave Solr running (used by up.sh
#                 on a configuration change)
# Only processes recorded in this checkout's .local/ckan/*.pid whose command line names this
# checkout's files (ckan.ini) are signalled: never another checkout's CKAN. Solr likewise
# (.local/solr/solr.pid, checked against its Solr home).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
LOCAL="${SMARTCITY_CKAN_HOME:-$ROOT/.local/ckan}"

say() { echo "ckan-down: $*" >&2; }

stop() {  # stop <name> <pidfile> <pattern that its command line must contain>
    local name="$1" pidfile="$2" pattern="$3" pid
    if [ ! -s "$pidfile" ]; then
        return 0
    fi
    pid="$(cat "$pidfile")"
    if ! kill -0 "$pid" 2>/dev/null; then
        rm -f "$pidfile"
        return 0
    fi
    # a recycled pid belongs to someone else: never signal it
    if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern"; then
        say "pid $pid in $pidfile is not $name any more; leaving it alone"
        rm -f "$pidfile"
        return 0
    fi
    # up.sh starts each with setsid: then the pid leads its own process group, which goes too
    local target="$pid"
    [ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$pid" ] && target="-$pid"
    kill -TERM -- "$target" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "$name (pid $pid) ignored SIGTERM for 5 s; sending SIGKILL"
        kill -KILL -- "$target" 2>/dev/null || true
    fi
    rm -f "$pidfile"
    say "stopped $name (pid $pid)"
}

stop "jobs worker" "$LOCAL/worker.pid" "$LOCAL/ckan.ini"  # only instances that run one
stop CKAN "$LOCAL/ckan.pid" "$LOCAL/ckan.ini"
if [ "${1:-}" != "--ckan-only" ]; then
    "$HERE/solr.sh" release "$LOCAL"
fi
