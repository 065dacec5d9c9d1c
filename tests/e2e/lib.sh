# lib.sh: shared helpers for the end-to-end suites (POSIX sh).
#
# A suite sources this file, calls e2e_setup (a private directory under
# /tmp, a config, keys, and a database), starts the servers it needs with
# start_fcgi_listen / start_fcgi_spawn and start_nginx, records results with
# check/pass/fail, and ends with e2e_finish, which stops every process it
# started (by PID) and prints "SUITE: N passed, N failed" as its last line.
# Servers listen on 127.0.0.1 and free ports only. Output never contains a
# personal field value: checks print their names, not the data they sent.

E2E_TOP=${E2E_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
E2E_BUILD=${SEALFORM_BUILD:-$E2E_TOP/build/default}
FCGI_BIN="$E2E_BUILD/src/fcgi/sealform-fcgi"
ADMIN_BIN="$E2E_BUILD/src/admin/sealform-admin"
# sealform-fcgi refuses to run where it could read a private key, which root
# always can: as root, the suites run it as the unprivileged user "sealform"
# (created if missing), as a real deployment does. E2E_RUN_AS is empty when
# the tests run unprivileged.
E2E_RUN_AS=""
if [ "$(id -u)" -eq 0 ]; then
  E2E_RUN_AS=sealform
  id -u sealform >/dev/null 2>&1 ||
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin sealform
fi
E2E_PASSED=0
E2E_FAILED=0
E2E_SKIPPED=0
E2E_PIDS=""

pass() { E2E_PASSED=$((E2E_PASSED + 1)); echo "ok   - $1"; }
fail() { E2E_FAILED=$((E2E_FAILED + 1)); echo "FAIL - $1${2:+ ($2)}"; }
# skip NAME REASON: a check this machine cannot run, counted as skipped
# (never as passed) in the suite's line and in the total.
skip() { E2E_SKIPPED=$((E2E_SKIPPED + 1)); echo "skip - $1 ($2)"; }
# check NAME COMMAND...: passes when the command succeeds.
check() { name=$1; shift; if "$@" >/dev/null 2>&1; then pass "$name"; else fail "$name"; fi; }
# check_eq NAME EXPECTED ACTUAL
check_eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected '$2', got '$3'"; fi; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# e2e_setup SUITE-NAME [extra config lines...]
e2e_setup() {
  E2E_SUITE=$1; shift
  E2E_DIR=$(mktemp -d /tmp/sealform-e2e-XXXXXX)
  chmod 0755 "$E2E_DIR"
  mkdir -p "$E2E_DIR/data" "$E2E_DIR/run" "$E2E_DIR/nginx" "$E2E_DIR/keys" "$E2E_DIR/bin"
  # The unprivileged user may not reach the source tree (a clone under
  # /root): it gets copies of the binary and the pages.
  cp "$E2E_BUILD/src/fcgi/sealform-fcgi" "$E2E_DIR/bin/"
  cp -R "$E2E_TOP/www" "$E2E_DIR/www"
  chmod -R a+rX "$E2E_DIR/bin" "$E2E_DIR/www"
  FCGI_BIN="$E2E_DIR/bin/sealform-fcgi"
  E2E_PORT=$(free_port)
  E2E_ORIGIN="http://127.0.0.1:$E2E_PORT"
  E2E_CONF="$E2E_DIR/sealform.conf"
  # Analytics points at a port nothing listens on unless a test starts its
  # counting stub there (tests/browser/consent.test.mjs).
  ANALYTICS_PORT=$(free_port); export ANALYTICS_PORT
  cat >"$E2E_CONF" <<CONF
[site]
organisation = Example Test Ltd
origin = $E2E_ORIGIN
contact_email = privacy@example.com
data_location = Frankfurt, Germany (EU)
policy_version = 2026-11
policy_date = 2026-11-29
[storage]
database = $E2E_DIR/data/enquiries.db
hold_database = $E2E_DIR/data/holds.db
busy_timeout_ms = 500
[keys]
directory = $E2E_DIR/keys
[form]
categories = general, media, investor
min_fill_seconds = 2
[rate_limit]
per_client = 100000
global = 100000
[cookies]
analytics_script_url = http://127.0.0.1:$ANALYTICS_PORT/analytics.js
[web]
data_directory = $E2E_DIR/www
CONF
  for line in "$@"; do printf '%s\n' "$line" >>"$E2E_CONF"; done
  export SEALFORM_CONFIG="$E2E_CONF"
  "$ADMIN_BIN" --config "$E2E_CONF" keygen >/dev/null
  if [ -n "$E2E_RUN_AS" ]; then
    # web.secret and the public key for the web user's group; the private
    # key stays root's alone (0600). The data directory belongs to the web user.
    chgrp "$E2E_RUN_AS" "$E2E_DIR/keys" "$E2E_DIR/keys/web.secret" "$E2E_DIR/keys/current" "$E2E_DIR/keys"/seal-*.pub
    chmod 0750 "$E2E_DIR/keys"
    chown -R "$E2E_RUN_AS:$E2E_RUN_AS" "$E2E_DIR/data" "$E2E_DIR/run"
  fi
  E2E_SOCK="$E2E_DIR/run/sealform.sock"
  trap e2e_cleanup EXIT INT TERM
}

wait_for_socket() {
  for _ in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.05; done
  return 1
}

# start_fcgi_listen [extra args]: sealform-fcgi opening its own socket.
start_fcgi_listen() {
  rm -f "$E2E_SOCK"
  "$FCGI_BIN" --config "$E2E_CONF" --listen "unix:$E2E_SOCK" --socket-mode 0666 \
    ${E2E_RUN_AS:+--user "$E2E_RUN_AS"} "$@" \
    2>>"$E2E_DIR/fcgi.log" &
  FCGI_PID=$!
  E2E_PIDS="$E2E_PIDS $FCGI_PID"
  wait_for_socket "$E2E_SOCK"
}

# start_fcgi_spawn: sealform-fcgi on an inherited socket (fd 0) under spawn-fcgi.
start_fcgi_spawn() {
  rm -f "$E2E_SOCK"
  spawn-fcgi -n -s "$E2E_SOCK" -M 0666 ${E2E_RUN_AS:+-u "$E2E_RUN_AS" -g "$E2E_RUN_AS"} \
    -- "$FCGI_BIN" 2>>"$E2E_DIR/fcgi.log" &
  FCGI_PID=$!
  E2E_PIDS="$E2E_PIDS $FCGI_PID"
  wait_for_socket "$E2E_SOCK"
}

stop_fcgi() {
  [ -n "${FCGI_PID:-}" ] || return 0
  kill -TERM "$FCGI_PID" 2>/dev/null
  wait "$FCGI_PID" 2>/dev/null
  FCGI_PID=""
}

start_nginx() {
  sed -e "s|/usr/share/sealform/static/|$E2E_DIR/www/static/|" \
      -e "s|/usr/share/sealform/errors/|$E2E_DIR/www/errors/|" \
      -e "s|unix:/run/sealform/sealform.sock|unix:$E2E_SOCK|" \
      -e "s|include fastcgi_params;|include /etc/nginx/fastcgi_params;|" \
      "$E2E_TOP/etc/nginx/sealform.conf" >"$E2E_DIR/nginx/snippet.conf"
  user_line=""
  [ "$(id -u)" -eq 0 ] && user_line="user www-data www-data;"
  cat >"$E2E_DIR/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $E2E_DIR/nginx/nginx.pid;
error_log $E2E_DIR/nginx/error.log warn;
$user_line
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $E2E_DIR/nginx/body;
    fastcgi_temp_path $E2E_DIR/nginx/fastcgi;
    proxy_temp_path $E2E_DIR/nginx/proxy;
    uwsgi_temp_path $E2E_DIR/nginx/uwsgi;
    scgi_temp_path $E2E_DIR/nginx/scgi;
    server {
        listen 127.0.0.1:$E2E_PORT;
        server_name localhost;
        include $E2E_DIR/nginx/snippet.conf;
        include $E2E_DIR/nginx/extra-*.conf;
    }
}
CONF
  nginx -c "$E2E_DIR/nginx/nginx.conf" -p "$E2E_DIR/nginx" -g 'daemon off;' 2>>"$E2E_DIR/nginx/error.log" &
  NGINX_PID=$!
  E2E_PIDS="$E2E_PIDS $NGINX_PID"
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$E2E_PORT/static/sealform.css" && return 0
    sleep 0.05
  done
  return 1
}

e2e_cleanup() {
  for pid in $E2E_PIDS; do kill -TERM "$pid" 2>/dev/null; done
  for pid in $E2E_PIDS; do wait "$pid" 2>/dev/null; done
  E2E_PIDS=""
  [ -n "${E2E_KEEP:-}" ] || rm -rf "$E2E_DIR"
}

e2e_finish() {
  if [ "$E2E_FAILED" -gt 0 ] && [ -f "$E2E_DIR/fcgi.log" ]; then
    echo "--- last lines of the sealform-fcgi log"
    tail -n 20 "$E2E_DIR/fcgi.log"
  fi
  e2e_cleanup
  trap - EXIT INT TERM
  if [ "$E2E_SKIPPED" -gt 0 ]; then
    echo "$E2E_SUITE: $E2E_PASSED passed, $E2E_FAILED failed, $E2E_SKIPPED skipped"
  else
    echo "$E2E_SUITE: $E2E_PASSED passed, $E2E_FAILED failed"
  fi
}

# fetch_token LOCALE: a fresh form token from a GET through nginx.
fetch_token() {
  curl -s "http://127.0.0.1:$E2E_PORT/${1:-en-us}/enquiry" |
    sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' | head -n 1
}

# web_server_page_checks LABEL HEADERS BODY HEADING: the web server's own
# error page (www/errors, through the nginx or Apache example) came with the
# headers sealform's pages carry and the text in the three languages.
web_server_page_checks() {
  tr -d '\r' <"$2" >"$2.lf"
  check "$1: charset in Content-Type" grep -qx 'Content-Type: text/html; charset=utf-8' "$2.lf"
  check "$1: CSP" grep -qx "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'" "$2.lf"
  check "$1: nosniff" grep -qx 'X-Content-Type-Options: nosniff' "$2.lf"
  check "$1: X-Frame-Options" grep -qx 'X-Frame-Options: DENY' "$2.lf"
  check "$1: Referrer-Policy" grep -qx 'Referrer-Policy: same-origin' "$2.lf"
  check "$1: Permissions-Policy" grep -q '^Permissions-Policy: camera=()' "$2.lf"
  check "$1: no-store" grep -qx 'Cache-Control: no-store' "$2.lf"
  check "$1: the page in three languages" sh -c "grep -q '<h1>$4<br>' '$3' && grep -q 'lang=\"zh-Hans\"' '$3' && grep -q 'lang=\"zh-Hant\"' '$3'"
}

# as_web_user COMMAND...: runs a command as the web tier's user.
as_web_user() {
  if [ -n "$E2E_RUN_AS" ]; then
    setpriv --reuid="$E2E_RUN_AS" --regid="$E2E_RUN_AS" --init-groups -- "$@"
  else
    "$@"
  fi
}

# status METHOD PATH [curl args...]: prints the HTTP status code.
http_status() {
  method=$1; path=$2; shift 2
  curl -s -o /dev/null -w '%{http_code}' -X "$method" "http://127.0.0.1:$E2E_PORT$path" "$@"
}
