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
from typing import TYPE_CHECKING, Callable, Hashable, Mapping

from generator.load.memo import ParseMemo
from generator.load.schema import Benchmark, Model

if TYPE_CHECKING:  # scoring is imported when a fit is asked for: a check may need none
    from generator.compute.scoring import QualityResult


@dataclass
class Memo:
    """One preview session's memory of its last build."""

    parsed: ParseMemo = field(default_factory=ParseMemo)
    fits: int = 0  # quality fits computed (not reused): for tests and logs
    fit: tuple[Hashable, QualityResult] | None = None  # the last fit, by its inputs
    # Where a fit kept on disk is read from when one is first wanted (the check memo's).
    stored_fit: Callable[[], tuple[Hashable, QualityResult] | None] | None = None


    def quality(self, models: Mapping[str, Model],
                registry: Mapping[str, Benchmark]) -> QualityResult:
        """``quality_scores(models, registry)``, reused while its inputs are equal."""
        from generator.compute.scoring import quality_inputs, quality_scores

        if self.fit is None and self.stored_fit is not None:
            self.fit, self.stored_fit = self.stored_fit(), None
        key = quality_inputs(models, registry)
        if self.fit is None or self.fit[0] != key:
            self.fit = (key, quality_scores(models, registry))
            self.fits += 1
        return self.fit[1]
