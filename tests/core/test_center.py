"""The center's configuration: file, environment overrides, opening hours."""
from datetime import datetime

import pytest

from actions.center import ConfigError, OpeningHours, build_center, load_settings


def center_with(**environ):
    return build_center(load_settings(environ=environ))


def test_file_defaults():
    center = center_with()
    assert center.name == "Northeast Addictions Treatment Center"
    assert center.phone_href == "tel:+15550100199"
    assert center.phone_display == "(555) 010-0199"


def test_environment_overrides_the_file():
    center = center_with(CENTER_NAME="Test Center", CENTER_PHONE="+1 617 555 0134",
                         CENTER_HOURS="Mon-Sun 00:00-23:59", CENTER_TIMEZONE="America/Chicago")
    assert center.name == "Test Center"
    assert center.phone_href == "tel:+16175550134"
    assert center.hours_text().startswith("Mon-Sun 12 am-11:59 pm")
    assert str(center.timezone) == "America/Chicago"


@pytest.mark.parametrize("variable,value", [
    ("CENTER_HOURS", "whenever"),
    ("CENTER_HOURS", "Mon-Fri 18:00-08:00"),
    ("CENTER_TIMEZONE", "Mars/Olympus"),
    ("CENTER_PHONE", "call us"),
])
def test_invalid_configuration_is_reported(variable, value):
    with pytest.raises(ConfigError):
        center_with(**{variable: value})


def test_hours_text_groups_days():
    center = center_with(CENTER_HOURS="Mon-Fri 08:00-20:00; Sat 09:30-13:00")
    assert center.hours_text().startswith("Mon-Fri 8 am-8 pm, Sat 9:30 am-1 pm ")


@pytest.mark.parametrize("moment,closing,opening,opening_es", [
    ("2026-11-27T10:00", "8 pm EST", "today at 8 am EST", "hoy a las 8 am EST"),  # Friday, open
    ("2026-11-27T21:00", None, "tomorrow at 9 am EST", "mañana a las 9 am EST"),
    ("2026-11-28T14:00", None, "Monday at 8 am EST", "el lunes a las 8 am EST"),  # Saturday afternoon
    ("2026-11-30T06:00", None, "today at 8 am EST", "hoy a las 8 am EST"),  # Monday early
])
def test_closing_time_and_next_opening_in_both_languages(moment, closing, opening, opening_es):
    center = center_with(CENTER_HOURS="Mon-Fri 08:00-20:00; Sat 09:00-13:00", CENTER_TIMEZONE="America/New_York")
    local = datetime.fromisoformat(moment).replace(tzinfo=center.timezone)
    assert center.closing_time_text(local) == closing
    if closing is None:
        assert center.next_opening_text(local) == opening
        assert center.next_opening_text(local, language="es") == opening_es


def test_hours_text_in_spanish():
    center = center_with(CENTER_HOURS="Mon-Fri 08:00-20:00; Sat 09:30-13:00")
    assert center.hours_text("es").startswith("lun-vie 8 am-8 pm, sáb 9:30 am-1 pm ")


def test_spanish_staff_comes_from_the_environment():
    assert center_with(CENTER_SPANISH_STAFF="true").spanish_staff is True
    assert center_with(CENTER_SPANISH_STAFF="false").spanish_staff is False
    with pytest.raises(ConfigError):
        center_with(CENTER_SPANISH_STAFF="maybe")


def test_opening_hours_parse():
    hours = OpeningHours.parse("Tue 10:00-12:00")
    assert set(hours.by_day) == {1}
