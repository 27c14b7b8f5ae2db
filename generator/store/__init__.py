"""What a build keeps and writes: the build state, the staged output, fingerprints, the executor that runs
jobs in other processes or on a cluster, image derivatives, the build lock and the checks that keep a build
from writing where it must not.

Imports :mod:`generator.model` and :mod:`generator.common`.
"""
