"""Rasa NLU components of this assistant, named in config.yml. The whole folder
is part of the training fingerprint (scripts/train_if_changed.sh)."""
