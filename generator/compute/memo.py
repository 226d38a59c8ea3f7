"""What a running ``versus serve`` keeps between builds: parsed files and the quality fit.

One ``Memo`` belongs to one preview session (``tools/preview.py`` makes it and
hands it to every build it runs); nothing here is global. Each part is keyed by
everything its result depends on, so a build through a memo gives the pages a
clean build gives (``tests/test_serve_memo.py``):

* ``parsed``: each content file's parse, by path and digest of its bytes;
* the quality fit (``scoring.quality_scores``, the slowest part of scoring), by
  every benchmark result and registry entry it reads (``scoring.quality_inputs``):
  a price or text edit reuses it, a changed score refits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable, Mapping

from generator.compute.scoring import QualityResult, quality_inputs, quality_scores
from generator.load.memo import ParseMemo
from generator.load.schema import Benchmark, Model


@dataclass
class Memo:
    """One preview session's memory of its last build."""

    parsed: ParseMemo = field(default_factory=ParseMemo)
    fits: int = 0  # quality fits computed (not reused): for tests and logs
    fit: tuple[Hashable, QualityResult] | None = None  # the last fit, by its inputs


    def quality(self, models: Mapping[str, Model],
                registry: Mapping[str, Benchmark]) -> QualityResult:
        """``quality_scores(models, registry)``, reused while its inputs are equal."""
        key = quality_inputs(models, registry)
        if self.fit is None or self.fit[0] != key:
            self.fit = (key, quality_scores(models, registry))
            self.fits += 1
        return self.fit[1]
