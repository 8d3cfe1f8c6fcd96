"""Our patches of Rasa's turn (channels/rasa_speedups.py) change speed, never results."""
import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

import channels.rasa_speedups  # noqa: F401  (applies the patches)


def rasas_lookup(type_name):
    return next((cls for cls in all_subclasses(Event) if cls.type_name == type_name), None)


def test_every_event_type_resolves_to_the_class_rasa_would_find_twice_over():
    for type_name in {cls.type_name for cls in all_subclasses(Event)}:
        assert Event.resolve_by_type(type_name) is rasas_lookup(type_name)
        assert Event.resolve_by_type(type_name) is rasas_lookup(type_name)  # now from the cache


def test_unknown_event_types_behave_as_in_rasa():
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_events_round_trip_through_dicts():
    events = [UserUttered("hi", {"name": "greet", "confidence": 1.0}), ActionExecuted("utter_greet"),
              SlotSet("first_name", "Robin")]
    assert [Event.from_parameters(event.as_dict()) for event in events] == events


def test_action_server_replies_are_still_validated():
    action = RemoteAction("action_share_specialist_contact", None)
    assert action._validate_action_result({"events": [], "responses": [{"text": "hello"}]})
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list", "responses": []})
