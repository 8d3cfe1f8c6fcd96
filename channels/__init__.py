"""Rasa-side code: validated web connectors, verified messaging connectors and
custom NLU components. Loaded by the Rasa server, never by the action server."""
