"""Forms of the conversation pages: the export choice and the intent correction."""
from django import forms
from django.utils.html import format_html

from .intents import known_intents
from .models import Correction
from .queries import user_event


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("json", "JSON")], widget=forms.RadioSelect, initial="csv")
    raw = forms.BooleanField(
        required=False,
        label="Include raw, unredacted message text (names, phone numbers and emails). This choice is audited.",
    )


class CorrectionForm(forms.ModelForm):
    corrected_intent = forms.ChoiceField(label="Right intent")

    class Meta:
        model = Correction
        fields = ["event_id", "corrected_intent"]
        widgets = {"event_id": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrected_intent"].choices = [("", "---------")] + [(n, n) for n in known_intents()]
        self.user_event = None
        event_id = self.data.get("event_id") or self.initial.get("event_id") or self.instance.event_id
        if event_id:
            self.user_event = user_event(event_id)
        if self.user_event is not None:
            entry = self.user_event["entry"]
            self.fields["corrected_intent"].help_text = format_html(
                "Message: “{}” — predicted {} ({})", entry.text, entry.intent or "?",
                "?" if entry.confidence is None else f"{entry.confidence:.2f}",
            )

    def clean(self):
        cleaned = super().clean()
        if self.user_event is None:
            raise forms.ValidationError("Choose a user message from a transcript to correct.")
        if cleaned.get("corrected_intent") == self.user_event["entry"].intent:
            raise forms.ValidationError("The right intent must differ from the predicted one.")
        return cleaned
