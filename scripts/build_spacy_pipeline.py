"""Builds the blank English spaCy pipeline that Rasa's SpacyNLP loads.

No pretrained English model can be installed from the package registries, and
re-uploads of models are not acceptable for a health provider, so the pipeline
is spaCy's own English tokenizer plus lookup lemmatisation from
`spacy-lookups-data` (e.g. "withdrawals" -> "withdrawal").
"""
import argparse
import sys
from pathlib import Path

import spacy

PIPELINE_NAME = "en_center_lookup"


def build(output: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = PIPELINE_NAME.split("_", 1)[1]
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = (
        "Blank English pipeline with lookup lemmatisation (spacy-lookups-data)."
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    build(args.output)
    lemmas = [t.lemma_ for t in spacy.load(args.output)("withdrawals were making him vomiting")]
    print(f"spaCy pipeline written to {args.output}: lemmas {lemmas}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
