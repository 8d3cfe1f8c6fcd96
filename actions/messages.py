"""Wording sent by code rather than by rules: by the custom actions, and the
session-start notice sent on the Rasa side (runtime/session_notice.py).
(Rasa's validator expects every domain response to appear in a rule or story,
so these live here; tests/core checks them like the domain's responses.)"""
from typing import Dict, List

DISCLAIMER = (
    "Hi, I'm the center's automated assistant. I share general information from our "
    "website. It is not medical advice, and I'm not a clinician. If someone may be "
    "overdosing or is in danger, call 911 now."
)

MAIN_MENU: List[Dict[str, str]] = [
    {"title": "What is heroin addiction?", "payload": "/ask_what_is_addiction"},
    {"title": "Withdrawal", "payload": "/ask_withdrawal"},
    {"title": "Treatment options", "payload": "/ask_treatment"},
    {"title": "Talk to a specialist", "payload": "/request_specialist"},
]

# The hand-off form's question for each detail.
FORM_QUESTIONS: Dict[str, str] = {
    "first_name": (
        'A specialist can contact you. What first name should they ask for? You can also '
        'say "anonymous". (Say "stop" at any time to leave.)'
    ),
    "contact": "How can they reach you? Please give a US phone number or an email address.",
    "best_time": 'When is the best time to contact you? (For example "weekday mornings" or "after 5pm".)',
    "for_whom": "Is this for yourself or for a loved one?",
}
FORM_BUTTONS: Dict[str, List[Dict[str, str]]] = {
    "for_whom": [
        {"title": "For myself", "payload": "For myself"},
        {"title": "For a loved one", "payload": "For a loved one"},
    ],
}

CALLBACK_OFFER = "Or, if you prefer, a specialist can call or email you. Would you like to leave your details?"
CALLBACK_OFFER_BUTTONS = [
    {"title": "Yes, contact me", "payload": "/request_callback"},
    {"title": "No thanks", "payload": "/deny"},
]
HANDOFF_CANCELLED = (
    "No problem, I've stopped and not saved anything. You can still ask me questions, "
    "or call the center whenever you're ready."
)
HANDOFF_NO_CONSENT = "Understood, I won't pass on your details and nothing was saved. You can call the center any time instead."
STORE_FAILED = (
    "I'm sorry, I couldn't save your request just now because of a problem on our side. "
    "Please call us instead and we'll help you directly."
)
