"""What a hub process does once, after its imports: keep the garbage collector off what they made.

Why: a full collection walks every object the collector tracks. A hub process holds some 130,000 from its
imports (modules, classes, the ORM's metadata) that live as long as it does, while the story stage's
fingerprint cache turns over enough objects to set off a full collection every thousand-odd items. Walking
the imports' objects each time cost the stage 0.05-0.15 ms an item at 1 M articles (`bench/dedupe.py`);
frozen, a full collection walks what the harvests made, and costs it 0.004-0.02 ms.
"""

from __future__ import annotations

import gc

__all__ = ["freeze_imports"]


def freeze_imports() -> None:
    """Collect once (so no garbage is kept for good), then move every object alive now to the collector's
    permanent generation, which collections skip. Objects frozen are still freed when their last
    reference goes; only a cycle among them would outlive its use."""
    gc.collect()
    gc.freeze()
