"""Large-corpus benchmark: dense (exact / HNSW / IVF) and lexical (BM25) indexes at 100k and 1M chunks.

Synthetic data, no model needed: unit vectors of the model's dimension (384) drawn from a mixture of
gaussians (clustered, as real embeddings are, so that approximate search is tested realistically),
and Vietnamese-like short texts (syllables drawn with a Zipf law) for BM25. For each size it prints

* build time, index bytes on disk and the growth of the process RSS,
* recall@10 of the approximate index against exact search, for each efSearch / nprobe tried,
* p50 / p95 latency of one query at a time, after warm-up.

The goal at 1M chunks is p95 ≤ 20 ms at recall@10 ≥ 0.95 on 2 cores; the HNSW defaults in
bot/snapshot/dense.py are the ones this script measured (README "Serving many users").

    OMP_NUM_THREADS=2 python scripts/bench_scale.py --sizes 100000,1000000
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import numpy as np

from bot.snapshot.dense import (
    ANN_CANDIDATES,
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_M,
    DenseIndex,
    IndexChoice,
    hnsw,
    ivf,
)
from bot.snapshot.lexical import LexicalIndex
from bot.text.normalize import fold

SYLLABLES = (
    "xã phường huyện tỉnh ủy ban nhân dân kế hoạch tuyên truyền vận động bầu cử đại biểu quốc hội hội đồng "
    "cấp trách nhiệm chủ trì phối hợp thực hiện triển khai báo cáo kết quả tổ chức công tác phòng chống dịch "
    "bệnh môi trường giáo dục y tế văn hóa thông tin kinh tế xã hội an ninh quốc phòng mặt trận đoàn thể thanh "
    "niên phụ nữ nông dân cựu chiến binh công an quân sự tài chính ngân sách đất đai xây dựng giao thông thủy "
    "lợi nông nghiệp lâm nghiệp chuyển đổi số cải cách hành chính thủ tục một cửa liên thông trước ngày tháng "
    "năm quý đợt chỉ tiêu mục tiêu nhiệm vụ giải pháp kinh phí nguồn vốn dự án chương trình phong trào"
).split()


def rss_mb() -> float:
    """Current resident set size of this process, in MB (Linux /proc)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clustered_vectors(n: int, dim: int, clusters: int, rng: np.random.Generator, spread: float) -> np.ndarray:
    """``n`` unit vectors around ``clusters`` random unit centres (gaussian noise of std ``spread``)."""
    centres = rng.standard_normal((clusters, dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    out = np.empty((n, dim), dtype=np.float32)
    step = 100_000
    for start in range(0, n, step):
        stop = min(n, start + step)
        block = centres[rng.integers(0, clusters, stop - start)]
        block += rng.standard_normal(block.shape, dtype=np.float32) * (spread / np.sqrt(dim))
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start:stop] = block
    return out


def synthetic_tokens(n: int, rng: np.random.Generator) -> list[dict[str, list[str]]]:
    """Lexical fields of ``n`` short Vietnamese-like texts (20–60 syllables, Zipf-distributed)."""
    vocab = list(SYLLABLES)  # shared str objects: a row holds only pointers, as interned tokens do
    ranks = np.minimum(rng.zipf(1.3, size=n * 60) - 1, len(vocab) - 1).tolist()
    lengths = rng.integers(20, 61, size=n)
    folded_vocab = {s: fold(s) for s in vocab}
    pairs: dict[tuple[str, str], str] = {}
    rows: list[dict[str, list[str]]] = []
    position = 0
    for length in lengths:
        syllables = [vocab[r] for r in ranks[position : position + length]]
        position += length
        words = [pairs.setdefault((a, b), f"{a}_{b}") for a, b in zip(syllables[::2], syllables[1::2], strict=False)]
        folded = [folded_vocab[s] for s in syllables]
        bigrams = [pairs.setdefault((a, b), f"{a}_{b}") for a, b in pairwise(folded)]
        rows.append({"words": words, "folded": folded + bigrams})
    return rows


def latencies_ms(call: Callable[[int], object], count: int, warmup: int = 20) -> np.ndarray:
    for i in range(warmup):
        call(i)
    times = []
    for i in range(count):
        start = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - start) * 1000)
    return np.array(times)


def one_query(index: DenseIndex, queries: np.ndarray) -> Callable[[int], object]:
    """Search query ``i`` (cycling) alone for its 10 nearest rows."""
    return lambda i: index.search(queries[i % len(queries)], 10)


def recall_at(found: np.ndarray, truth: np.ndarray, k: int) -> float:
    hits = sum(len(set(f[:k].tolist()) & set(t[:k].tolist())) for f, t in zip(found, truth, strict=True))
    return hits / (len(truth) * k)


def index_bytes(index: DenseIndex) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dense.faiss"
        index.save(path)
        return path.stat().st_size


def row(
    name: str, n: int, params: str, build_s: float, size_mb: float, rss: float, recall: float | None, lat: np.ndarray
) -> None:
    recall_text = f"{recall:.3f}" if recall is not None else "  -  "
    print(
        f"{name:<6} {n:>9,} {params:<22} {build_s:>8.1f} {size_mb:>9.0f} {rss:>8.0f} {recall_text:>9} "
        f"{np.percentile(lat, 50):>7.2f} {np.percentile(lat, 95):>7.2f}",
        flush=True,
    )


def bench_size(n: int, args: argparse.Namespace) -> None:
    rng = np.random.default_rng(args.seed)
    vectors = clustered_vectors(n, args.dim, args.clusters, rng, args.spread)
    queries = clustered_vectors(args.queries, args.dim, args.clusters, np.random.default_rng(args.seed), args.spread)
    queries += rng.standard_normal(queries.shape, dtype=np.float32) * 0.01
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)

    before = rss_mb()
    start = time.perf_counter()
    exact = DenseIndex.build(vectors, IndexChoice())
    build = time.perf_counter() - start
    _, truth = exact.search(queries, 10)
    lat = latencies_ms(one_query(exact, queries), args.queries)
    row("flat", n, "exact", build, index_bytes(exact) / 2**20, rss_mb() - before, 1.0, lat)

    before = rss_mb()
    start = time.perf_counter()
    graph = DenseIndex.build(vectors, hnsw(m=args.m, ef_construction=args.ef_construction))
    build = time.perf_counter() - start
    size = index_bytes(graph) / 2**20
    grown = rss_mb() - before
    for ef in args.ef_search:
        tuned = graph.with_search_parameters(ef_search=ef)
        _, found = tuned.search(queries, 10)
        lat = latencies_ms(one_query(tuned, queries), args.queries)
        row(
            "hnsw",
            n,
            f"M={args.m} efC={args.ef_construction} ef={ef}",
            build,
            size,
            grown,
            recall_at(found, truth, 10),
            lat,
        )
    # What retrieval calls: the cosine of the ANN_CANDIDATES nearest chunks (efSearch raised to cover them).
    served = graph.with_search_parameters(ef_search=HNSW_EF_SEARCH)
    lat = latencies_ms(lambda i: served.scores(queries[i % len(queries)]), args.queries)
    scored = np.stack([np.argsort(-served.scores(q), kind="stable")[:10] for q in queries[:50]])
    row("hnsw", n, f"scores() {ANN_CANDIDATES} cands", build, size, grown, recall_at(scored, truth[:50], 10), lat)
    del graph

    if args.ivf:
        before = rss_mb()
        start = time.perf_counter()
        lists = ivf(n)
        inverted = DenseIndex.build(vectors, lists)
        build = time.perf_counter() - start
        size = index_bytes(inverted) / 2**20
        grown = rss_mb() - before
        for nprobe in args.nprobe:
            tuned = inverted.with_search_parameters(nprobe=nprobe)
            _, found = tuned.search(queries, 10)
            lat = latencies_ms(one_query(tuned, queries), args.queries)
            row("ivf", n, f"nlist={lists.nlist} nprobe={nprobe}", build, size, grown, recall_at(found, truth, 10), lat)
        del inverted
    del vectors

    before = rss_mb()
    rows = synthetic_tokens(n, rng)
    tokens_mb = rss_mb() - before
    start = time.perf_counter()
    lexical = LexicalIndex.from_tokens(rows)
    build = time.perf_counter() - start
    lexical.tokens = []  # a served snapshot does not hold the token lists (only a build reads them)
    del rows
    with tempfile.TemporaryDirectory() as tmp:
        lexical.save(Path(tmp) / "lexical")
        on_disk = sum(p.stat().st_size for p in (Path(tmp) / "lexical").rglob("*") if p.is_file()) / 2**20
    grown = rss_mb() - before
    texts = [" ".join(rng.choice(SYLLABLES, size=6)) for _ in range(args.queries)]
    lat = latencies_ms(lambda i: lexical.scores(texts[i % len(texts)]), args.queries)
    row("bm25", n, f"2 fields (tokens {tokens_mb:.0f} MB)", build, on_disk, grown, None, lat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--clusters", type=int, default=2000)
    parser.add_argument("--spread", type=float, default=1.0, help="noise norm around a cluster centre")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--m", type=int, default=HNSW_M)
    parser.add_argument("--ef-construction", type=int, default=HNSW_EF_CONSTRUCTION)
    parser.add_argument("--ef-search", default="32,64,128,256")
    parser.add_argument("--ivf", action="store_true", help="also build an IVF index (k-means is slow at 1M)")
    parser.add_argument("--nprobe", default="8,32,64")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.ef_search = [int(v) for v in args.ef_search.split(",")]
    args.nprobe = [int(v) for v in args.nprobe.split(",")]
    print(f"cores={os.cpu_count()} OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '-')} load={os.getloadavg()}")
    header = ("index", "chunks", "parameters", "build s", "disk MB", "ΔRSS MB", "recall@10", "p50 ms", "p95 ms")
    print("{:<6} {:>9} {:<22} {:>8} {:>9} {:>8} {:>9} {:>7} {:>7}".format(*header))
    for size in (int(v) for v in args.sizes.split(",")):
        bench_size(size, args)
    print(f"peak RSS {peak_rss_mb():.0f} MB, load={os.getloadavg()}")


if __name__ == "__main__":
    main()
