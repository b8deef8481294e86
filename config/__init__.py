import os

# numpy's OpenBLAS starts one thread per core for any product of a few
# thousand rows (a post against the article passages): on a machine whose
# cores web workers and batch runs already use, its threads wait on each
# other and one product takes ~11 ms instead of 0.3 ms (bench/triage_speed.py).
# One thread each, as for the embedding model (search/embeddings.py); read by
# OpenBLAS when numpy loads, which is after the settings package.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
