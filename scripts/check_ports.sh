#!/usr/bin/env bash
# Says clearly which port is taken before anything starts.
# Checks RASA_PORT, ACTIONS_PORT and the parts named in PORTS_TO_CHECK ("widget console").
set -u
taken=0
for part in rasa actions ${PORTS_TO_CHECK:-}; do
  variable="${part^^}_PORT"
  case $part in rasa) default=5005;; actions) default=5055;; widget) default=8080;; console) default=8000;; *) default=;; esac
  port=${!variable:-$default}
  [ -n "$port" ] || continue
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port ($part) is already in use: stop what is using it (ss -ltnp | grep :$port)," \
         "or pick another port, e.g. $variable=$((port + 1)) make run" >&2
    taken=1
  fi
done
[ $taken -eq 0 ] || echo "Nothing was started." >&2
exit $taken
