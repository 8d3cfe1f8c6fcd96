#!/usr/bin/env bash
# Says clearly which port is taken before anything starts.
set -u
taken=0
for spec in "Rasa:${RASA_PORT:-5005}" "action server:${ACTIONS_PORT:-5055}" ${EXTRA_PORTS:-}; do
  name=${spec%:*}; port=${spec##*:}
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port ($name) is already in use. Stop what is using it (e.g. 'ss -ltnp | grep :$port')" \
         "or choose another port, e.g. ${name^^}_PORT=..." | sed 's/ SERVER_PORT/_PORT/; s/ACTION_PORT/ACTIONS_PORT/' >&2
    taken=1
  fi
done
exit $taken
