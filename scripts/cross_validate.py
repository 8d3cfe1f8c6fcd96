"""`rasa test nlu --cross-validation ...` with the folds drawn from a fixed seed.

Rasa shuffles the examples into folds with NumPy's global random state and no
seed, so two runs on the same data score different splits (weighted F1 varied
by about 0.015 between runs). Seeding it makes a rerun on the same data score
the same folds, so a change in the report comes from a change in the data or
the configuration. NLU_CV_SEED picks another split.

    python scripts/cross_validate.py <arguments of `rasa test nlu`>
"""
import os
import sys

import numpy as np
from rasa.__main__ import main

if __name__ == "__main__":
    np.random.seed(int(os.environ.get("NLU_CV_SEED", "0")))
    sys.argv = ["rasa", "test", "nlu", *sys.argv[1:]]
    main()
