"""Rasa tracker-store and lock-store subclasses, named by `type:` in
endpoints.yml and deploy/cluster/endpoints.yml.template (Rasa's supported way
to change how conversations are stored and locked)."""
