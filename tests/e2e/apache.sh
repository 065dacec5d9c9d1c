# apache.sh: helpers for the Apache end-to-end suites (apache-*.test), sourced
# after lib.sh. start_apache runs Debian's apache2 in the foreground with a
# small self-contained configuration (its own modules, 127.0.0.1 and the
# suite's free port, logs and PID file in the suite's directory) around one
# of the examples in etc/apache2/, adapted to the suite's paths with sed as
# start_nginx does for the nginx example. apache_suite then runs the checks
# every Apache mode shares.

APACHE_MODULES=/usr/lib/apache2/modules

# apache_adapt EXAMPLE: the example with the installed paths replaced by the
# suite's (binary, socket, static files, configuration). Fails when a path the
# test relies on is missing from the example, so a renamed path is noticed.
apache_adapt() {
  [ -f "$E2E_TOP/etc/apache2/$1" ] || return 1
  fcgi_dir=$(dirname "$FCGI_BIN")
  sed -e "s|/usr/share/sealform/static|$E2E_TOP/www/static|g" \
      -e "s|/usr/share/sealform/errors|$E2E_TOP/www/errors|g" \
      -e "s|unix:/run/sealform/sealform.sock|unix:$E2E_SOCK|g" \
      -e "s|\"/usr/sbin/sealform-fcgi/|\"$FCGI_BIN/|g" \
      -e "s|<Directory \"/usr/sbin\">|<Directory \"$fcgi_dir\">|g" \
      -e "s|/etc/sealform/sealform.conf|$E2E_CONF|g" \
      "$E2E_TOP/etc/apache2/$1" >"$E2E_DIR/apache/snippet.conf"
  ! grep -v '^[[:space:]]*#' "$E2E_DIR/apache/snippet.conf" |
    grep -Eq '"/usr/sbin|/usr/share/sealform/|unix:/run/sealform/|/etc/sealform/'
}

# apache_own_files: when the suite runs as root, Apache's children (and the
# programs it starts) run as www-data; give www-data what a deployment gives
# the web tier: the data directory, web.secret and the public key. The
# private key stays root's, unreadable to the web tier as in production.
apache_own_files() {
  mkdir -p "$E2E_DIR/apache/run" "$E2E_DIR/apache/htdocs" "$E2E_DIR/apache/tmp"
  [ "$(id -u)" -eq 0 ] || return 0
  chown www-data:www-data "$E2E_DIR/data" "$E2E_DIR/apache" "$E2E_DIR/apache/run" \
    "$E2E_DIR/apache/tmp"
  chown -R www-data:www-data "$E2E_DIR/data"
  chgrp www-data "$E2E_DIR/keys"
  chmod 0750 "$E2E_DIR/keys"
  for f in "$E2E_DIR"/keys/*; do
    case "$f" in
      *.key | *"/*") ;;
      *) chgrp www-data "$f"; chmod g+r "$f" ;;
    esac
  done
}

# start_fcgi_for_apache [args]: sealform-fcgi --listen on the suite's unix
# socket, for mod_proxy_fcgi. sealform-fcgi refuses to run where it can read
# a private key, and root can read every file: started as root, it opens the
# socket and then runs as www-data (--user), as a deployment runs it as
# sealform.
start_fcgi_for_apache() {
  apache_own_files
  rm -f "$E2E_SOCK"
  set -- --config "$E2E_CONF" --listen "unix:$E2E_SOCK" --socket-mode 0666 "$@"
  [ "$(id -u)" -eq 0 ] && set -- "$@" --user www-data
  "$FCGI_BIN" "$@" 2>>"$E2E_DIR/fcgi.log" &
  FCGI_PID=$!
  E2E_PIDS="$E2E_PIDS $FCGI_PID"
  wait_for_socket "$E2E_SOCK"
}

# start_apache EXAMPLE MODULE...: writes the configuration, checks its syntax
# (apache2 -t) and starts apache2 -DFOREGROUND; waits until it answers.
start_apache() {
  example=$1; shift
  A="$E2E_DIR/apache"
  mkdir -p "$A/run" "$A/htdocs" "$A/tmp"
  apache_adapt "$example" || return 2
  {
    echo "ServerRoot \"$A\""
    echo "ServerName 127.0.0.1"
    echo "Listen 127.0.0.1:$E2E_PORT"
    echo "PidFile \"$A/run/httpd.pid\""
    echo "DefaultRuntimeDir \"$A/run\""
    echo "Mutex file:$A/run default"
    echo "ErrorLog \"$A/error.log\""
    echo "LogLevel warn"
    echo "LoadModule mpm_event_module $APACHE_MODULES/mod_mpm_event.so"
    for m in authz_core alias mime headers env "$@"; do
      echo "LoadModule ${m}_module $APACHE_MODULES/mod_$m.so"
    done
    echo "StartServers 1"
    echo "ServerLimit 2"
    echo "MinSpareThreads 5"
    echo "MaxSpareThreads 20"
    echo "ThreadsPerChild 10"
    echo "MaxRequestWorkers 20"
    echo "TypesConfig /etc/mime.types"
    if [ "$(id -u)" -eq 0 ]; then
      echo "User www-data"
      echo "Group www-data"
    fi
    case " $* " in *" cgid "*) echo "ScriptSock \"$A/run/cgid.sock\"" ;; esac
    case " $* " in
      *" fcgid "*)
        echo "FcgidIPCDir \"$A/run/fcgid\""
        echo "FcgidProcessTableFile \"$A/run/fcgid.shm\""
        ;;
    esac
    echo "DocumentRoot \"$A/htdocs\""
    echo "<Directory />"
    echo "    AllowOverride None"
    echo "    Require all denied"
    echo "</Directory>"
    echo "<VirtualHost 127.0.0.1:$E2E_PORT>"
    echo "    Include \"$A/snippet.conf\""
    echo "</VirtualHost>"
  } >"$A/httpd.conf"
  apache_own_files
  apache2 -t -f "$A/httpd.conf" -d "$A" >"$A/syntax.log" 2>&1 || return 3
  # TMPDIR: where a module spools what it keeps out of memory (APR's
  # temporary directory), so that a suite can look there.
  TMPDIR="$A/tmp" apache2 -f "$A/httpd.conf" -d "$A" -DFOREGROUND 2>>"$A/error.log" &
  APACHE_PID=$!
  E2E_PIDS="$E2E_PIDS $APACHE_PID"
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$E2E_PORT/static/sealform.css" && return 0
    sleep 0.05
  done
  return 1
}

# apache_suite EXAMPLE: the checks every Apache mode shares, after
# start_apache. Prints check names only, never the values posted.
apache_suite() {
  example=$1
  base="http://127.0.0.1:$E2E_PORT"
  db="$E2E_DIR/data/enquiries.db"
  # Never creates the database (a root-owned empty file would lock out the
  # www-data processes of the CGI and fcgid suites).
  rows() { [ -f "$db" ] && sqlite3 "$db" 'select count(*) from enquiries' 2>/dev/null || echo none; }
  form() {  # form TOKEN: a valid urlencoded body
    printf 'token=%s&name=Ada+Lovelace&company=Analytical&job_title=&email=ada%%40example.com&category=general&message=Hello%%0D%%0Athere&age_confirm=yes' "$1"
  }
  post() {  # post BODY: prints the status
    curl -s -o "$E2E_DIR/last.html" -D "$E2E_DIR/last.headers" -w '%{http_code}' \
      -H "Origin: $E2E_ORIGIN" -H 'Content-Type: application/x-www-form-urlencoded' \
      --data-binary "$1" "$base/en-us/enquiry"
  }

  check "example clears the Proxy header (httpoxy)" \
    grep -q '^RequestHeader unset Proxy early' "$E2E_TOP/etc/apache2/$example"
  check "example keeps LimitRequestBody at max_body_bytes" \
    grep -q 'LimitRequestBody 98304$' "$E2E_TOP/etc/apache2/$example"
  check_eq "static stylesheet served by Apache" 200 "$(http_status GET /static/sealform.css)"
  check_eq "GET form" 200 "$(http_status GET /en-us/enquiry)"
  check_eq "GET form in zh-tw" 200 "$(http_status GET /zh-tw/enquiry)"
  check_eq "unknown path is sealform's 404" 404 "$(http_status GET /nope)"

  check_eq "GET privacy policy" 200 "$(http_status GET /en-us/privacy)"
  check_eq "GET cookie policy" 200 "$(http_status GET /en-us/cookies)"

  tok_a=$(fetch_token en-us)
  tok_b=$(fetch_token en-us)
  check "form carries a token" test -n "$tok_a"
  sleep 2.2  # min_fill_seconds is 2 in the e2e configuration
  check_eq "valid post is 303" 303 "$(post "$(form "$tok_a")")"
  location=$(grep -i '^Location:' "$E2E_DIR/last.headers" | head -n 1 | tr -d '\r')
  case "$location" in
    *"/en-us/enquiry/thanks?ref=ENQ-"*) pass "303 to the thanks page" ;;
    *) fail "303 to the thanks page" ;;
  esac
  check_eq "one row stored" 1 "$(rows)"
  check_eq "invalid email is 422" 422 \
    "$(post "$(form "$tok_b" | sed 's/ada%40example.com/not-an-email/')")"
  check_eq "invalid post stores nothing" 1 "$(rows)"
  check_eq "1 MiB body is 413" 413 "$(head -c 1048576 /dev/zero | tr '\0' a |
    curl -s -o "$E2E_DIR/huge.html" -D "$E2E_DIR/huge.headers" -w '%{http_code}' \
      -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @- "$base/en-us/enquiry")"
  case "$example" in
    *proxy-fcgi*)
      # mod_proxy_fcgi passes the Content-Length on before reading the body,
      # and sealform-fcgi refuses it first: sealform's own page.
      check "413 is sealform's own page" grep -q '<title>Too much data – ' "$E2E_DIR/huge.html" ;;
    *)
      # Apache refused it itself (LimitRequestBody): the example's page.
      web_server_page_checks "Apache's 413" "$E2E_DIR/huge.headers" "$E2E_DIR/huge.html" "Too much data" ;;
  esac
  check_eq "the error pages are not reachable from outside" 403 \
    "$(http_status GET /sealform-errors/unavailable.html)"
}

# apache_finish: on failure, the last lines of Apache's error log, then
# e2e_finish (which stops Apache and sealform-fcgi by PID).
apache_finish() {
  if [ "$E2E_FAILED" -gt 0 ] && [ -f "$E2E_DIR/apache/error.log" ]; then
    echo "--- last lines of the Apache error log"
    tail -n 20 "$E2E_DIR/apache/error.log"
    [ -f "$E2E_DIR/apache/syntax.log" ] && cat "$E2E_DIR/apache/syntax.log"
  fi
  e2e_finish
}
