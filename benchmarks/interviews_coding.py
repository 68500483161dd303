"""Speed of automatic theme coding (evalkit.interviews) on many texts.

Prints seconds for coding N suggestion texts and interview segments built from the
simulator's sentence pools, with numbers appended so the vocabulary grows the way real text
does (each distinct word is stemmed once by Sastrawi, the slow part). Run:

    .venv/bin/python benchmarks/interviews_coding.py [n_texts ...]
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from evalkit import interviews as iv
from evalkit.simulate import texts as pools


def make_texts(n: int, rng: np.random.Generator) -> pd.Series:
    sentences = np.array(
        [*pools.SARAN_POSITIVE, *pools.SARAN_NEGATIVE, *pools.SARAN_TYPOGRAPHIC,
         *[s for group in pools.THEME_PRESENT.values() for s in group],
         *[s for group in pools.THEME_NEGATED.values() for s in group], *pools.FILLERS],
        dtype=object)
    first = sentences[rng.integers(len(sentences), size=n)]
    second = sentences[rng.integers(len(sentences), size=n)]
    # a rare word per text (loket 1..n/10) so the vocabulary is not tiny
    tag = pd.Series(rng.integers(n // 10 + 1, size=n)).astype(str).to_numpy(object)
    return pd.Series(first + " Loket" + tag + " " + second)


def main(sizes: list[int]) -> None:
    codebook = iv.load_codebook()
    rng = np.random.default_rng(1)
    start = time.perf_counter()
    iv.stem_words(["menerapkan"])  # load the Sastrawi dictionary once
    print(f"load Sastrawi dictionary: {time.perf_counter() - start:.2f} s")
    for n in sizes:
        texts = make_texts(n, rng)
        iv.coding._STEM_CACHE.clear()  # cold cache: every distinct word is stemmed again
        start = time.perf_counter()
        coded = iv.code_texts(texts, codebook, source="saran")
        cold = time.perf_counter() - start
        start = time.perf_counter()
        iv.code_texts(texts, codebook, source="wawancara")
        warm = time.perf_counter() - start
        n_words = len(iv.coding._STEM_CACHE)
        print(f"{n:>9,} texts: {cold:6.2f} s cold stem cache, {warm:6.2f} s warm "
              f"({coded.to_numpy().sum():,} theme hits, {n_words:,} distinct words)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 50_000, 200_000])
