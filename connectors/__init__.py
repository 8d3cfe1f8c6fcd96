"""Input/output channels only: the web connectors (REST, socket.io) and the
verified messaging connectors. Loaded by the Rasa server, never by the action server."""
