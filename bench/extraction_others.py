"""Other open extractors on the same corpus and measure as bench/extraction.py, for choosing among them.

Not installed by backissue; add them to the venv first:

    .venv/bin/pip install readability-lxml      # jusText comes with trafilatura

Prints mean precision, recall and F1 over the corpus's article pages.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction import CORPUS, score  # noqa: E402


def readability_text(data: bytes) -> str:
    import lxml.html
    from readability import Document

    summary = Document(data).summary()
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


def justext_text(data: bytes) -> str:
    import justext

    return "\n\n".join(p.text for p in justext.justext(data, justext.get_stoplist("English")) if not p.is_boilerplate)


def measure(extract: Callable[[bytes], str]) -> tuple[float, float, float, int]:
    scores = []
    for page in sorted((CORPUS / "pages").glob("*.html")):
        truth = json.loads((CORPUS / "truth" / f"{page.stem}.json").read_text(encoding="utf-8"))
        if truth["kind"] == "article":
            scores.append(score(extract(page.read_bytes()), truth["body"]))
    count = len(scores)
    means = tuple(sum(s[key] for s in scores) / count for key in ("precision", "recall", "f1"))
    return means + (count,)  # type: ignore[return-value]


def main() -> int:
    for name, extract in (("readability-lxml", readability_text), ("jusText", justext_text)):
        try:
            precision, recall, f1, count = measure(extract)
        except ImportError:
            print(f"{name:18} not installed")
            continue
        print(f"{name:18} mean F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f}) over {count} article pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
