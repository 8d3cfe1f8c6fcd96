"""Custom actions for the assistant (rasa-sdk), one module per concern."""
