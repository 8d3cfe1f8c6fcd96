"""Hand-off to a human specialist: the form's validation, the request store,
staff alerts and the actions that tie them together."""
