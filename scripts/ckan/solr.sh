#!/usr/bin/env bash
# The local Apache Solr 9 node of the local CKANs: real Solr 9.10.1 from Maven Central's
# artefacts, run by Solr's own embedded Jetty runner (scripts/ckan/solr/, a small Maven module).
# One node serves one core per CKAN (`ckan` for :5000, `ckan_gdc` for :5001), each configured
# with CKAN's own schema.xml (copied from the CKAN venv) and scripts/ckan/solr/conf/.
#
#   solr.sh build                        compile the launcher, copy Solr's jars (Maven; skipped
#                                        when pom.xml and the sources are unchanged)
#   solr.sh up CORE SCHEMA_XML [CLIENT]  build, start the node if it is not running, create the
#                                        core (or update its conf/ and reload it); idempotent.
#                                        CLIENT (a CKAN home, e.g. .local/ckan) is recorded as a
#                                        user of the node
#   solr.sh release CLIENT               forget CLIENT; stop the node when no other recorded
#                                        client's CKAN (its ckan.pid) runs (down.sh); nothing
#                                        when CLIENT was not recorded
#   solr.sh clear CORE                   delete every document of CORE (reset.sh)
#   solr.sh down                         stop the node (by its pid file; data kept)
#   solr.sh status                       say whether it runs, and its cores
#
# Everything lives under .local/solr/ (git-ignored): build/ (classes + lib/ with Solr's jars),
# home/ (solr.xml, one folder per core: conf/, data/), solr.pid, solr.log, build.log.
# Maven caches the artefacts in $HOME/.m2/repository (first build ~12 s and ~115 MB from Maven
# Central; later builds need no network); SMARTCITY_M2=DIR puts that cache elsewhere.
#
# Env: SOLR_PORT (8983), SOLR_HEAP (512m), SOLR_LOG_LEVEL (WARN), SOLR_START_TIMEOUT (120 s),
#      SOLR_FSYNC (unset: commits are not fsynced, see solr/conf/solrconfig.xml; 1: they are),
#      SMARTCITY_SOLR_HOME (.local/solr), SMARTCITY_M2 ($HOME/.m2/repository).
set -euo pipefail
# no daemon started here may hold a descriptor of the caller (its lock file): close them
# shellcheck disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/../close_fds.sh"
umask 077

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MODULE="$HERE/solr"
BASE="${SMARTCITY_SOLR_HOME:-$ROOT/.local/solr}"
BUILD="$BASE/build"
HOME_DIR="$BASE/home"
PIDFILE="$BASE/solr.pid"
LOG="$BASE/solr.log"
PORT="${SOLR_PORT:-8983}"
HEAP="${SOLR_HEAP:-512m}"
LOG_LEVEL="${SOLR_LOG_LEVEL:-WARN}"
TIMEOUT="${SOLR_START_TIMEOUT:-120}"
FSYNC="${SOLR_FSYNC:-}"  # 1: fsync every commit (Solr's own directory factory); see solrconfig.xml
[ "$FSYNC" = 1 ] || FSYNC=
MAIN=smartcity.solr.SolrNode
# $HOME's, named explicitly: Java (so Maven) takes user.home from the passwd entry, not $HOME
M2="${SMARTCITY_M2:-$HOME/.m2/repository}"
URL="http://127.0.0.1:$PORT/solr"

say() { echo "solr: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- helpers
get() { curl -fsS -m "${2:-5}" "$URL/$1" 2>/dev/null; }
ping_core() { get "$1/admin/ping?wt=json" 3 >/dev/null; }
node_home() {  # the Solr home of whatever answers on $PORT (empty when nothing does)
    get "admin/info/system?wt=json" 3 | python3 -c 'import json, sys; print(json.load(sys.stdin)["solr_home"])' 2>/dev/null || true
}
pid_ours() {  # the pid in solr.pid is alive and is this home's launcher
    local pid
    [ -s "$PIDFILE" ] || return 1
    pid="$(cat "$PIDFILE")"
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$MAIN --home $HOME_DIR "
}
lock() {  # one up/down at a time per Solr home (both CKANs' up.sh may call this at once)
    mkdir -p "$BASE"
    exec 8>"$BASE/.lock"
    flock 8
}

need_tools() {  # Java 17+ (javac too) and Maven, installed with apt-get when root
    local missing=()
    command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)
    command -v mvn >/dev/null 2>&1 || missing+=(maven)
    if [ "${#missing[@]}" -gt 0 ]; then
        if [ "$(id -u)" -eq 0 ]; then
            say "installing ${missing[*]} with apt-get (Solr runs on Java; Maven fetches it)"
            DEBIAN_FRONTEND=noninteractive apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        else
            die "Solr needs Java 17+ and Maven: sudo apt-get install -y ${missing[*]}"
        fi
    fi
    local major
    major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    [ "${major%%.*}" -ge 17 ] 2>/dev/null ||
        die "Solr 9 here is built for Java 17+, but 'java' is ${major:-unknown}: sudo apt-get install -y default-jdk-headless"
}

# ---------------------------------------------------------------- build
source_hash() {
    (cd "$MODULE" && find pom.xml src -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}
built() {  # the build matches pom.xml and the sources
    [ "$(cat "$BUILD/.stamp" 2>/dev/null)" = "$(source_hash)" ] && [ -n "$(ls "$BUILD/lib" 2>/dev/null)" ]
}
build() {
    local want
    want="$(source_hash)"
    built && return 0
    need_tools
    say "building the Solr launcher with Maven (Solr 9.10.1 from Maven Central, cached in $M2; log: $BASE/build.log)"
    local started=$SECONDS
    rm -rf "$BUILD"
    mkdir -p "$BUILD"
    mvn -q -B "-Dmaven.repo.local=$M2" -f "$MODULE/pom.xml" \
        "-Dsolr.build.dir=$BUILD" compile >"$BASE/build.log" 2>&1 || {
        tail -20 "$BASE/build.log" >&2
        die "mvn compile failed (Maven Central reachable? see $BASE/build.log)"
    }
    echo "$want" >"$BUILD/.stamp"
    say "built in $((SECONDS - started)) s"
}

# ---------------------------------------------------------------- node
start_node() {
    local home
    home="$(node_home)"
    if pid_ours; then
        [ "$home" = "$HOME_DIR" ] && return 0
        # ours, but not answering on $PORT (still starting, or started on another port)
        wait_node
        return 0
    fi
    if [ -n "$home" ]; then
        [ "$home" = "$HOME_DIR" ] ||
            die "port $PORT is served by another Solr (home $home), not this checkout's: stop it or set SOLR_PORT"
        say "this checkout's Solr answers on $PORT but $PIDFILE does not name it"
        return 0
    fi
    need_tools
    mkdir -p "$HOME_DIR"
    cp "$MODULE/solr.xml" "$HOME_DIR/solr.xml"
    say "starting Solr 9.10.1 on $URL (heap $HEAP, log: $LOG)"
    # setsid: its own process group, for down. 8>&- 9>&-: never hold this script's or up.sh's lock
    setsid nohup java "-Xmx$HEAP" -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
        "-Dsolr.log.dir=$BASE" "-Dsolr.log.level=$LOG_LEVEL" ${FSYNC:+"-Dsolr.directoryFactory=solr.NRTCachingDirectoryFactory"} \
        -cp "$BUILD/classes:$BUILD/lib/*" "$MAIN" --home "$HOME_DIR" --port "$PORT" --pid-file "$PIDFILE" \
        >>"$LOG" 2>&1 </dev/null 8>&- 9>&- &
    echo $! >"$PIDFILE"
    wait_node
}
wait_node() {
    local started=$SECONDS
    until [ "$(node_home)" = "$HOME_DIR" ]; do
        pid_ours || { tail -20 "$LOG" >&2; die "Solr exited during start-up: see $LOG"; }
        [ $((SECONDS - started)) -lt "$TIMEOUT" ] || die "Solr not answering after ${TIMEOUT}s: see $LOG"
        sleep 0.3
    done
    say "Solr is up on $URL ($((SECONDS - started)) s)"
}

stop_node() {
    local pid target
    if ! pid_ours; then
        [ ! -e "$PIDFILE" ] || say "pid in $PIDFILE is not this checkout's Solr any more; leaving it alone"
        rm -f "$PIDFILE"
        return 0
    fi
    pid="$(cat "$PIDFILE")"
    target="$pid"
    [ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$pid" ] && target="-$pid"
    # SIGTERM: the launcher's shutdown hook closes the cores (pending documents are committed)
    kill -TERM -- "$target" 2>/dev/null || true
    for _ in $(seq 1 200); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "Solr (pid $pid) ignored SIGTERM for 20 s; sending SIGKILL"
        kill -KILL -- "$target" 2>/dev/null || true
    fi
    rm -f "$PIDFILE"
    say "stopped Solr (pid $pid)"
}

# ---------------------------------------------------------------- cores
core_loaded() {  # core_loaded <core>: CoreAdmin lists it as loaded
    get "admin/cores?action=STATUS&core=$1&wt=json" | python3 -c '
import json, sys
status = json.load(sys.stdin)["status"]
sys.exit(0 if status.get(sys.argv[1], {}).get("name") == sys.argv[1] else 1)' "$1" 2>/dev/null
}
init_failure() {  # the reason CoreAdmin gives for a core that did not load
    get "admin/cores?action=STATUS&wt=json" | python3 -c '
import json, sys
print(json.load(sys.stdin).get("initFailures", {}).get(sys.argv[1], ""))' "$1" 2>/dev/null || true
}
sync_conf() {  # sync_conf <core> <schema.xml>: write conf/; prints "changed" if anything did
    local conf="$HOME_DIR/$1/conf" changed=0 f
    mkdir -p "$conf"
    for f in "$MODULE"/conf/* "$2"; do
        if ! cmp -s "$f" "$conf/$(basename "$f")"; then
            cp "$f" "$conf/$(basename "$f").tmp"
            mv "$conf/$(basename "$f").tmp" "$conf/$(basename "$f")"
            changed=1
        fi
    done
    [ "$changed" = 0 ] || echo changed
}
ensure_core() {  # ensure_core <core> <schema.xml>
    local core="$1" schema="$2" changed
    [[ "$core" =~ ^[A-Za-z0-9_]+$ ]] || die "not a plain core name: $core"
    [ -s "$schema" ] || die "no schema.xml at $schema (CKAN's own, from the CKAN venv)"
    changed="$(sync_conf "$core" "$schema")"
    if core_loaded "$core"; then
        if [ -n "$changed" ]; then
            say "configuration of core $core changed: reloading it"
            get "admin/cores?action=RELOAD&core=$core&wt=json" 60 >/dev/null ||
                die "reloading core $core failed: see $LOG"
        fi
    elif [ -e "$HOME_DIR/$core/core.properties" ]; then
        # discovered at start but failed to load (e.g. a conf/ that the sync just fixed)
        get "admin/cores?action=RELOAD&core=$core&wt=json" 60 >/dev/null || true
    else
        say "creating core $core"
        get "admin/cores?action=CREATE&name=$core&instanceDir=$core&wt=json" 60 >/dev/null || true
    fi
    core_loaded "$core" || die "core $core did not load: $(init_failure "$core") (see $LOG)"
    # a core just loaded may take a while to answer its first ping on a busy machine (its
    # searcher opens): wait up to 60 s rather than fail on one slow answer
    local tries=0
    until ping_core "$core"; do
        tries=$((tries + 1))
        [ "$tries" -lt 30 ] || die "core $core does not answer /admin/ping: see $LOG"
        sleep 2
    done
}

# ---------------------------------------------------------------- clients
client_file() { echo "$BASE/clients/$(printf '%s' "$1" | sha256sum | cut -c1-16)"; }
clients_running() {  # some recorded client's CKAN still runs
    local f dir pid
    for f in "$BASE"/clients/*; do
        [ -s "$f" ] || continue
        dir="$(cat "$f")"
        pid="$(cat "$dir/ckan.pid" 2>/dev/null || true)"
        [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && return 0
    done
    return 1
}

# ---------------------------------------------------------------- main
cmd="${1:-}"
case "$cmd" in
    build)
        lock
        ! pid_ours || built || die "Solr runs from $BUILD: stop it first (solr.sh down)"
        build
        ;;
    up)
        [ $# -ge 3 ] || { echo "usage: $0 up CORE SCHEMA_XML [CLIENT]" >&2; exit 2; }
        lock
        if pid_ours && ! built; then
            # never rebuild under a running JVM: its jars and classes would change beneath it
            say "the Solr launcher's module changed: restarting Solr"
            stop_node
        fi
        build
        start_node
        ensure_core "$2" "$3"
        if [ -n "${4:-}" ]; then
            mkdir -p "$BASE/clients"
            printf '%s\n' "$4" >"$(client_file "$4")"
        fi
        ;;
    release)
        [ $# -eq 2 ] || { echo "usage: $0 release CLIENT" >&2; exit 2; }
        lock
        client="$(client_file "$2")"
        [ -e "$client" ] || exit 0  # never up'd through solr.sh: not this node's to stop
        rm -f "$client"
        if clients_running; then
            say "Solr keeps running: another CKAN of this checkout uses it"
        else
            stop_node
        fi
        ;;
    clear)
        [ $# -eq 2 ] || { echo "usage: $0 clear CORE" >&2; exit 2; }
        [[ "$2" =~ ^[A-Za-z0-9_]+$ ]] || die "not a plain core name: $2"
        if pid_ours && core_loaded "$2"; then
            curl -fsS -m 30 -o /dev/null -H 'Content-Type: application/json' \
                --data '{"delete": {"query": "*:*"}}' "$URL/$2/update?commit=true" ||
                die "deleting the documents of core $2 failed: see $LOG"
            say "core $2 emptied"
        else
            lock
            pid_ours && die "Solr runs but core $2 is not loaded: see $LOG"
            rm -rf "${HOME_DIR:?}/$2/data"
            say "index of core $2 deleted"
        fi
        ;;
    down)
        lock
        stop_node
        ;;
    status)
        if pid_ours && [ "$(node_home)" = "$HOME_DIR" ]; then
            echo "Solr runs on $URL (pid $(cat "$PIDFILE")); cores:"
            get "admin/cores?action=STATUS&wt=json" | python3 -c '
import json, sys
for name, core in sorted(json.load(sys.stdin)["status"].items()):
    print("  %s: %s documents" % (name, core.get("index", {}).get("numDocs")))'
        else
            echo "Solr is not running (pid file $PIDFILE)"
            exit 3
        fi
        ;;
    *)
        echo "usage: $0 build | up CORE SCHEMA_XML [CLIENT] | release CLIENT | clear CORE | down | status" >&2
        exit 2
        ;;
esac
