"""Removes repeated work from Rasa 3.6's per-turn path, without changing behaviour.

Imported by channels/web.py, so it is active in every `rasa run` of this
assistant. Measured with py-spy under `make bench` (bench/README.md).

* RemoteAction validates every action server reply with `jsonschema.validate`,
  which first re-validates Rasa's (large, constant) events schema against the
  JSON Schema meta-schema: about 40% of the server's CPU under load, spent on
  each new conversation (our session start is a custom action). The schema is
  checked once here and the compiled validator reused; replies are validated
  exactly as before and an invalid reply raises the same ValidationError.
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Text

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@functools.lru_cache(maxsize=1)
def _action_result_validator():
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    error = exceptions.best_match(_action_result_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


RemoteAction._validate_action_result = _validate_action_result
