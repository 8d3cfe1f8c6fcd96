import shutil
import tempfile
from pathlib import Path

import pytest

from tests.scale.cluster_support import ScaleCluster


@pytest.fixture(scope="module")
def cluster():
    workdir = Path(tempfile.mkdtemp(prefix="scale-cluster-"))
    running = ScaleCluster(workdir)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        shutil.rmtree(workdir, ignore_errors=True)
