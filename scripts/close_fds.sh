# Sourced (not run) by the scripts that start daemons: close every descriptor inherited from the
# caller above 2, so that no daemon holds one (a caller's lock file, e.g. `flock FILE make ckan-up`,
# would stay locked for as long as the daemon runs). 255 is bash's own handle on the script.
for _fd in /proc/$$/fd/*; do
    _fd="${_fd##*/}"
    case "$_fd" in 0 | 1 | 2 | 255) ;; *) eval "exec ${_fd}>&-" 2>/dev/null || true ;; esac
done
unset _fd
