"""Articles per second of ``extract_figures`` (and ``extract_registry``) on one core.

Builds synthetic ~8 kB Thai and English articles (own sentences, no external data, so it runs
on a fresh clone), then times the extractor over them.  When the real development corpus is
there (``../shared/corpus/thaigov-v2``, or ``--corpus DIR``), also times
``extract_programme`` (relevance included: what the pipeline runs) over every real page, read
into memory first.  Prints figures; asserts nothing.  Pin it to one core for the one-core figure:
``taskset -c 0 python bench/bench_extract.py``.

Usage: ``python bench/bench_extract.py [--articles N] [--size BYTES] [--corpus DIR]``
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from smartcity.extract.figures import extract_figures
from smartcity.extract.programme import extract_programme
from smartcity.extract.registry import extract_registry

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "thaigov-v2"

_FILLER_TH = [
    "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคมร่วมกับหน่วยงานท้องถิ่นเดินหน้าพัฒนาบริการดิจิทัลให้ประชาชน",
    "ผู้บริหารกล่าวว่าการใช้ข้อมูลเมืองช่วยให้การวางแผนการเดินทางและพลังงานมีประสิทธิภาพมากขึ้น",
    "งานจัดขึ้นระหว่างวันที่ 12-14 มีนาคม 2567 ณ ศูนย์ประชุมแห่งชาติ โทร. 02 123 4567",
    "นอกจากนี้ เจ้าหน้าที่ท้องถิ่นยังได้ฝึกอบรมเรื่องการป้องกันภัยไซเบอร์ในหน่วยงานของตน",
    "ภาคเอกชนและสถาบันการศึกษาร่วมแลกเปลี่ยนแนวคิดการออกแบบเมืองที่น่าอยู่และยั่งยืน",
    "ผู้ว่าราชการจังหวัดเชียงใหม่ระบุว่าการจราจรอัจฉริยะช่วยลดเวลาเดินทางในตัวเมือง",
]
_FACTS_TH = [
    "ปัจจุบันมีเมืองอัจฉริยะทั้งสิ้น {a} เมืองใน {b} จังหวัด",
    "คณะกรรมการเห็นชอบเขตส่งเสริมเมืองอัจฉริยะเพิ่ม {a} เมือง",
    "คาดว่าจะมีผู้เข้าร่วมงานมากกว่า {c:,} คน และเกิดการลงทุนไม่น้อยกว่า {d} ล้านบาท",
    "ภาคเหนือ {b} เมือง ภาคใต้ {a} เมือง",
]
_FILLER_EN = [
    "Officials said city data platforms help local governments plan transport and energy use.",
    "The forum ran from 12 to 14 March 2024 at the national convention centre; call 02 123 4567.",
    "Workshops on cyber security were held for local officials and university students.",
    "The governor of Khon Kaen said the light rail plan depends on a city data platform.",
    "Private firms showed sensors, dashboards and apps for waste, water and air quality.",
    "Residents can report broken street lights through a chat application run by the city.",
]
_FACTS_EN = [
    "Thailand now has {a} smart cities in {b} provinces.",
    "The agency announced {a} new smart city promotion zones.",
    "More than {c:,} participants attended and investment of over {d} million baht is expected.",
]


def synthetic_article(rng: random.Random, size: int, english: bool) -> str:
    """One article of about ``size`` characters mixing filler and fact sentences."""
    filler, facts = (_FILLER_EN, _FACTS_EN) if english else (_FILLER_TH, _FACTS_TH)
    parts: list[str] = []
    total = 0
    while total < size:
        if rng.random() < 0.2:
            s = rng.choice(facts).format(
                a=rng.randint(5, 120), b=rng.randint(3, 77), c=rng.randint(100, 90000), d=rng.randint(1, 900)
            )
        else:
            s = rng.choice(filler)
        parts.append(s)
        total += len(s.encode("utf-8")) + 1
    return " ".join(parts) if rng.random() < 0.5 else "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--size", type=int, default=8000, help="bytes of UTF-8 per article")
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="real pages, if present")
    args = parser.parse_args(argv)
    rng = random.Random(20261121)
    docs = [synthetic_article(rng, args.size, english=i % 4 == 3) for i in range(args.articles)]
    mean_kb = sum(len(d.encode("utf-8")) for d in docs) / len(docs) / 1000
    extract_figures(docs[0])  # warm caches (compiled patterns, gazetteer)
    t0 = time.perf_counter()
    n_figs = sum(len(extract_figures(d)) for d in docs)
    t1 = time.perf_counter()
    n_reg = sum(len(extract_registry(d)) for d in docs)
    t2 = time.perf_counter()
    print(f"articles: {len(docs)}  mean size: {mean_kb:.1f} kB  figures: {n_figs}  registry rows: {n_reg}")
    for label, secs in (("extract_figures: ", t1 - t0), ("extract_registry:", t2 - t1)):
        print(f"{label} {len(docs) / secs:,.0f} articles/s  ({secs / len(docs) * 1e3:.3f} ms each)")
    big = "\n".join(docs[: max(1, 10_000_000 // max(1, len(docs[0].encode('utf-8'))))])
    t3 = time.perf_counter()
    n_big = len(extract_figures(big))
    t4 = time.perf_counter()
    print(f"one {len(big.encode('utf-8')) / 1e6:.1f} MB text: {t4 - t3:.2f} s, {n_big} figures")
    corpus = Path(args.corpus)
    if (corpus / "data").is_dir():
        real_corpus(corpus)
    return 0


def real_corpus(corpus: Path) -> None:
    """Pages per second of ``extract_programme`` over every page of a real corpus."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("data/**/*.txt"))]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    t0 = time.perf_counter()
    results = [extract_programme(t) for t in texts]
    secs = time.perf_counter() - t0
    relevant = sum(r.relevance.relevant for r in results)
    figures = sum(len(r.figures) for r in results)
    print(
        f"real corpus {corpus.name}: {len(texts)} pages, {mb:.1f} MB, extract_programme "
        f"{len(texts) / secs:,.0f} pages/s ({mb / secs:.1f} MB/s); "
        f"{relevant} relevant pages, {figures} figures"
    )


if __name__ == "__main__":
    raise SystemExit(main())
