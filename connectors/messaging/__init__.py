"""Verified messaging connectors (Telegram, Slack, Twilio SMS/WhatsApp, Facebook
Messenger) built on Rasa 3.6's own connectors. See connectors/README.md."""
