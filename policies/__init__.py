"""Rasa dialogue policies of this assistant (subclasses of Rasa's), named in
config.yml's `policies:`. They are trained into the model, so the whole
folder is part of the training fingerprint (scripts/train_if_changed.sh)."""
