"""FreezeD (Mo et al. 2020, "Freeze the Discriminator"): fine-tune with D's first blocks fixed.

``compile(freeze_d=N)`` freezes the first N *blocks* of the discriminator: its
top-level layers that own weights, in the order ``discriminator.layers``
lists them (the order a functional or Sequential model calls them). Each is
set ``trainable = False``, so D's optimizer never sees its weights. As for
any frozen Keras layer, a frozen BatchNormalization runs in inference mode.
Compiling again with another N unfreezes the blocks this froze before (and
only those), so ``freeze_d=0`` undoes it. The count lives in the compile
config, so a loaded ``.keras`` file freezes the same blocks.
"""

from __future__ import annotations

from ganzoo.errors import GanzooError


def blocks(discriminator) -> list:
    """D's blocks: its top-level layers that own weights, in order."""
    return [layer for layer in discriminator.layers if layer.weights]


def freeze_blocks(gan, n: int) -> list:
    """Freeze ``gan.discriminator``'s first ``n`` blocks (unfreezing those frozen before)."""
    found = blocks(gan.discriminator)
    if n > len(found):
        names = ", ".join(layer.name for layer in found) or "none"
        raise GanzooError(
            f"freeze_d={n} but the discriminator has {len(found)} blocks (top-level layers "
            f"with weights: {names}); use freeze_d <= {len(found)}")
    # Names, not layers: a list of layers set on the GAN would be tracked as its own.
    for layer in gan.discriminator.layers:
        if layer.name in getattr(gan, "frozen_block_names", ()):
            layer.trainable = True
    gan.frozen_block_names = tuple(layer.name for layer in found[:n])
    for layer in found[:n]:
        layer.trainable = False
    return found[:n]
