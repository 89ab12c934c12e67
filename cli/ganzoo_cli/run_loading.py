"""Loading a trained GAN from a run directory for the sampling commands."""

from __future__ import annotations

import click

from ganzoo_cli.errors import CLIError


def load_run_gan(run: str, checkpoint: str | None):
    """The GAN of ``run``'s newest good checkpoint (or ``checkpoint``), phase restored."""
    from ganzoo import precision
    from ganzoo.api import get_architecture
    from ganzoo.plugins import registries
    from ganzoo.training import RunDir, latest_checkpoint, load_checkpoint

    if run is None and checkpoint is None:
        raise CLIError("give --run RUN_DIR (or --checkpoint PATH)")
    registries()  # import every plugin so its layers can be deserialized
    saved = None
    if run is not None:
        run_dir = RunDir.existing(run)
        saved = run_dir.read_config()
        precision.apply(saved["spec"]["precision"])
        if checkpoint is None:
            checkpoint = run_dir.gan_file if run_dir.gan_file.is_file() \
                else latest_checkpoint(run_dir.checkpoints,
                                     notify=lambda m: click.echo(m, err=True))
    gan, _ = load_checkpoint(checkpoint)
    if saved is not None:  # multi-phase architectures: move to the phase reached
        arch = get_architecture(saved["arch"])
        config = arch.make_config(**saved["config"])
        step, boundary = gan.step, 0
        phases = arch.training_stages(config, saved["total_steps"])
        current = phases[-1]
        for phase in phases:
            boundary += phase.steps
            if step < boundary:
                current = phase
                break
        if current.enter is not None:
            current.enter(gan)
    return gan
