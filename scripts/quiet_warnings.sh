#!/usr/bin/env bash
# Silences the known deprecation warnings of Rasa's dependencies (and of Rasa
# itself), each by category and module, and nothing else: a newcomer's
# `make run` shows the progress steps, the addresses and real problems.
# Our own code's warnings, and any other, still show.
#
# Sourced by scripts/serve_rasa.sh and scripts/serve_actions.sh; the Makefile's
# run path exports what it prints when run. A PYTHONWARNINGS of your own comes
# last, so it wins (PYTHONWARNINGS=default shows everything again).
third_party_deprecations=(
  pkg_resources                 # declare_namespace('mpl_toolkits'), ('ruamel')
  packaging.markers             # pyparsing's camelCase names
  packaging.requirements
  matplotlib.fontconfig_pattern
  typer                         # Click 9 deprecations
  typer.completion
  spacy.cli._util
  sanic_cors.extension          # distutils Version classes
  tensorflow.lite.python.util   # jax.xla_computation
  rasa.shared.utils.validation  # pkg_resources as an API
)
quiet_warnings=$(printf 'ignore::DeprecationWarning:%s,' "${third_party_deprecations[@]}")
quiet_warnings=${quiet_warnings%,}
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "$quiet_warnings"
else
  # SQLAlchemy's own switch for its one "not compatible with 2.0" notice
  # (raised when Rasa's tracker store is imported; Rasa pins SQLAlchemy 1.4).
  export SQLALCHEMY_SILENCE_UBER_WARNING=1
  case ",${PYTHONWARNINGS:-}," in
    *",$quiet_warnings,"*) ;;  # already set (make run, then a start script)
    *) export PYTHONWARNINGS="$quiet_warnings${PYTHONWARNINGS:+,$PYTHONWARNINGS}" ;;
  esac
fi
