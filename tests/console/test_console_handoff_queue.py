"""The hand-off queue as a work queue: assignee, notes, an outcome when closing, phone links,
the visitor's language."""
import pytest
from django.urls import reverse

from handoffs.models import HandoffRequest

from console_rasa_events import handoff_row

QUEUE = "admin:handoffs_handoffrequest_changelist"


@pytest.mark.parametrize("outcome", ["reached", "no_answer", "wrong_number", "declined"])
def test_closing_needs_an_outcome(reviewer_client, db, outcome):
    handoff = handoff_row(f"web-outcome-{outcome}", status="contacted")
    url = reverse("admin:handoffs_handoffrequest_change", args=[handoff.pk])
    refused = reviewer_client.post(url, {"status": "closed", "outcome": "", "_save": "Save"})
    assert refused.status_code == 200 and "Choose how the call ended" in refused.content.decode()
    handoff.refresh_from_db()
    assert handoff.status == "contacted"
    done = reviewer_client.post(url, {"status": "closed", "outcome": outcome, "assignee": "rita-reviewer",
                                      "notes": "Called at 10:05.", "_save": "Save"})
    assert done.status_code == 302
    handoff.refresh_from_db()
    assert (handoff.status, handoff.outcome, handoff.assignee, handoff.notes) == (
        "closed", outcome, "rita-reviewer", "Called at 10:05.")


def test_queue_shows_language_and_phone_links(reviewer_client, db):
    spanish = handoff_row("web-es-queue", contact="+15550102222")
    HandoffRequest.objects.filter(pk=spanish.pk).update(language="es")
    handoff_row("web-en-queue", contact="lucia@example.org")
    response = reviewer_client.get(reverse(QUEUE))
    html = response.content.decode()
    assert '<a href="tel:+15550102222">(555) 010-2222</a>' in html
    assert '<a href="mailto:lucia@example.org">lucia@example.org</a>' in html
    assert "Spanish" in html
    only_spanish = reviewer_client.get(reverse(QUEUE) + "?language__exact=es")
    assert [h.pk for h in only_spanish.context["cl"].result_list] == [spanish.pk]
    detail = reviewer_client.get(reverse("admin:handoffs_handoffrequest_change", args=[spanish.pk]))
    assert "Spanish" in detail.content.decode()


def test_assignee_is_a_staff_member_and_notes_are_kept(reviewer_client, reviewer, db):
    handoff = handoff_row("web-assign")
    url = reverse("admin:handoffs_handoffrequest_change", args=[handoff.pk])
    choices = [value for value, _ in reviewer_client.get(url).context["adminform"].form.fields["assignee"].choices]
    assert choices == ["", reviewer.username]
    assert reviewer_client.post(url, {"status": "new", "assignee": "someone-else", "_save": "Save"}).status_code == 200
    assert reviewer_client.post(url, {"status": "new", "assignee": reviewer.username, "notes": "Try after 5pm.",
                                      "_save": "Save"}).status_code == 302
    handoff.refresh_from_db()
    assert (handoff.assignee, handoff.notes, handoff.status) == (reviewer.username, "Try after 5pm.", "new")
    # An outcome belongs to closing, not to an open request.
    refused = reviewer_client.post(url, {"status": "contacted", "outcome": "reached", "_save": "Save"})
    assert refused.status_code == 200
    handoff.refresh_from_db()
    assert handoff.status == "new" and handoff.outcome is None
