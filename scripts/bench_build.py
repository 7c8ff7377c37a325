"""Build benchmark: a full index build of a synthetic corpus, then an incremental one after one change.

Usage::

    python scripts/bench_build.py [--plans 500] [--fake-embedder] [--workdir DIR]

The corpus is made from the bundled plans (``documents/``): each synthetic plan is one of them with
its locality name and document number replaced (distinct names like "Tân Phú", "An Hòa"...), so the
texts are realistic and every plan is a distinct document. Steps:

1. full build of every plan (the real embedding model by default: what users run; ``--fake-embedder``
   for a quick run of everything but the model), timed, with chunks per second;
2. one plan edited (a line added), then an incremental build, timed;
3. the ratio of the two times and what the incremental build embedded.

The model is loaded (and warmed) before timing. Prints numbers only; makes no assertions.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run from a checkout without installing the package: make `bot` importable from the repo root.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.embedding.protocol import Embedder  # noqa: E402
from bot.indexing.build import BuildResult, build_index  # noqa: E402
from bot.ingest import parse_file  # noqa: E402
from bot.text.normalize import fold  # noqa: E402

SYLLABLES = (
    "An Bình Hòa Phú Tân Thịnh Hưng Long Lộc Phước Thành Đông Tây Nam Bắc Trung Hải Sơn Lâm Xuân "
    "Hồng Minh Quang Vĩnh Thuận Đức Nghĩa Hiệp Mỹ Khánh Cường Thắng Lợi Hà Giang Yên Định Phong"
).split()


def place_names(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct two-syllable place names ("Tân Phú"), shuffled."""
    names = [f"{a} {b}" for a, b in itertools.permutations(SYLLABLES, 2)]
    rng.shuffle(names)
    if count > len(names):
        raise SystemExit(f"at most {len(names)} plans")
    return names[:count]


def _locality_name(locality: str | None) -> str | None:
    """The proper name of a locality: "phường Kinh Môn" → "Kinh Môn"."""
    if not locality:
        return None
    match = re.match(r"(?i)(?:phường|xã|thị trấn|huyện|quận|thị xã|thành phố|tỉnh|TT\.?)\s+(.+)$", locality)
    name = match.group(1) if match else locality
    return name.split(" tỉnh ")[0].strip() or None


def make_corpus(target: Path, plans: int, seed: int = 7) -> int:
    """Write ``plans`` synthetic plans into ``target``; returns how many were written."""
    rng = random.Random(seed)
    seeds = sorted(p for p in (ROOT / "documents").iterdir() if p.suffix in {".txt", ".md"})
    templates = []
    for path in seeds:
        meta = parse_file(path).meta
        templates.append((path, path.read_text(encoding="utf-8"), _locality_name(meta.locality), meta.number))
    target.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(place_names(plans, rng)):
        path, text, old_name, number = templates[i % len(templates)]
        if old_name:
            text = text.replace(old_name, name).replace(old_name.upper(), name.upper())
        serial = str(100 + i)
        if number and re.match(r"\d+/", number):
            text = text.replace(number, re.sub(r"^\d+", serial, number))
        slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "x"
        (target / f"{slug}-{i:03d}_{serial}-KH_{2024 + i % 3}{path.suffix}").write_text(text, encoding="utf-8")
    return plans


def edit_one_plan(corpus: Path) -> Path:
    """Append a task line to the first plan (a realistic small edit); returns its path."""
    path = sorted(corpus.iterdir())[0]
    path.write_text(
        path.read_text(encoding="utf-8").rstrip("\n") + "\n- Bổ sung: tổ chức tổng kết phong trào vào Quý IV.\n",
        encoding="utf-8",
    )
    return path


def load(fake: bool) -> Embedder:
    """The real embedder from the configured cache (or the deterministic fake), warmed on a few passages."""
    if fake:
        from bot.embedding.fake import FakeEmbedder

        return FakeEmbedder()
    from bot.cli import wiring

    embedder = wiring.load_embedder(Settings())
    embedder.embed_passages(["khởi động mô hình"] * 8)
    return embedder


def timed_build(corpus: Path, index: Path, embedder: Embedder) -> tuple[float, BuildResult]:
    start = time.perf_counter()
    result = build_index(corpus, index, embedder)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=int, default=500, help="synthetic plans to generate (default 500)")
    parser.add_argument(
        "--fake-embedder", action="store_true", help="use the deterministic fake instead of the real model"
    )
    parser.add_argument("--workdir", type=Path, help="keep corpus and index here (default: a temporary folder)")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-build-"))
    corpus, index = workdir / "documents", workdir / "index"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(index, ignore_errors=True)
    try:
        make_corpus(corpus, args.plans)
        embedder = load(args.fake_embedder)
        print(f"corpus: {args.plans} plans in {corpus}; embedder: {embedder.name}", flush=True)

        full_s, full = timed_build(corpus, index, embedder)
        chunks = full.manifest.chunk_count
        print(
            f"full build:        {full_s:8.2f} s  {len(full.manifest.documents)} plans, {chunks} chunks, "
            f"{full.embedded} embedded, {chunks / full_s:.1f} chunks/s",
            flush=True,
        )

        edited = edit_one_plan(corpus)
        inc_s, inc = timed_build(corpus, index, embedder)
        statuses = {s: sum(1 for d in inc.documents if d.status == s) for s in ("changed", "unchanged", "new")}
        print(
            f"incremental build: {inc_s:8.2f} s  1 plan edited ({edited.name}); {inc.embedded} chunks embedded, "
            f"{inc.manifest.chunk_count} in the snapshot; {statuses}",
            flush=True,
        )
        print(f"ratio incremental / full: {inc_s / full_s:.4f}  (speed-up ×{full_s / inc_s:.1f})")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
