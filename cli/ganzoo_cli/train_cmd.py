"""``ganzoo train``."""

from __future__ import annotations

import click

from ganzoo_cli.errors import CLIError


def _positive(ctx, param, value):
    if value is not None and value <= 0:
        raise CLIError(f"--{param.name.replace('_', '-')} must be positive, got {value}")
    return value


def _subset(ctx, param, value):
    if value is None:
        return None
    try:
        number = float(value) if any(c in value for c in ".eE") else int(value)
    except ValueError:
        raise CLIError(f"--subset {value}: give a fraction in (0, 1] (0.1) or a count of "
                       "images (6000)") from None
    if not (0 < number <= 1 if isinstance(number, float) else number >= 1):
        raise CLIError(f"--subset {value}: a fraction must be in (0, 1], a count at least 1")
    return number


def _target(option, value):
    try:
        float(value)  # its range is checked by the pipeline
        return value
    except ValueError:
        pass
    raise CLIError(f"{option} {value}: TARGET must be a number in [0, 1] (0.6 is usual)")


def _d_augment(diffaugment, ada, apa=None):
    """The ``ganzoo.augment`` spec of --diffaugment / --ada / --apa (None for none).

    --apa composes with either of the others (``"ada:0.6+apa:0.6"``).
    """
    if diffaugment is not None and ada is not None:
        raise CLIError("--diffaugment and --ada are two ways to augment D's images; give one")
    parts = []
    if ada is not None:
        parts.append(f"ada:{_target('--ada', ada)}")
    if diffaugment is not None:
        parts.append(f"diffaugment:{diffaugment}")
    if apa is not None:
        parts.append(f"apa:{_target('--apa', apa)}")
    return "+".join(parts) or None


@click.command("train")
@click.option("--preset", help="Named settings to start from (ganzoo list --presets); "
              "explicit options and --set override it")
@click.option("--arch", help="Architecture name (ganzoo list)")
@click.option("--dataset", help="TFDS name, image folder, .npz/.npy or IDX file")
@click.option("--image-size", type=int, callback=_positive, help="Square image size")
@click.option("--steps", type=int, callback=_positive, help="Generator steps in all")
@click.option("--epochs", type=float, callback=_positive, help="Or passes over the data")
@click.option("--batch-size", type=int, callback=_positive, help="Images per D step")
@click.option("--seed", type=int, default=0, help="Seed of data order and latents")
@click.option("--run-dir", type=click.Path(file_okay=False), help="Run directory  [default: runs/ARCH-TIME]")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="YAML file of config overrides")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="Override one config value (repeatable)")
@click.option("--resume", type=click.Path(file_okay=False), help="Continue this run directory")
@click.option("--precision", type=click.Choice(["auto", "fp32", "bf16", "fp16"]), default="auto",
              help="auto: bf16 on TPUs and GPUs of compute capability >= 8.0, else fp32")
@click.option("--real-transforms", default="", help="Transform the real data (changes what "
              "G learns): comma-separated flip,translate,cutout")
@click.option("--augment", "old_augment", hidden=True, help="Old name of --real-transforms")
@click.option("--diffaugment", metavar="POLICY", help="DiffAugment every image D sees "
              "(differentiable): comma-separated color,translation,cutout")
@click.option("--ada", metavar="[TARGET]", is_flag=False, flag_value="0.6",
              help="Adaptive discriminator augmentation; p steers D's r_t to TARGET  [default: 0.6]")
@click.option("--apa", metavar="[TARGET]", is_flag=False, flag_value="0.6",
              help="Adaptive pseudo augmentation: show D fakes as reals with a p that steers "
              "D's r_t to TARGET; combines with --ada or --diffaugment  [default: 0.6]")
@click.option("--regularizer", "regularizers", multiple=True, metavar="NAME[:K=V,...]",
              help="Add a regularizer to the architecture's own (repeatable): cr, bcr, zcr, "
              "lecam, dragan, maxgp, gp, r1...; options after a colon, e.g. lecam:weight=0.1")
@click.option("--topk", metavar="[K=V,...]", is_flag=False, flag_value="true",
              help="Top-k training of G (options decay, min_fraction, decay_every)")
@click.option("--logan", "latent_optimization", metavar="[K=V,...]", is_flag=False,
              flag_value="true", help="LOGAN latent optimisation (options alpha, beta, rate, "
              "steps, weight, discriminator, backprop_step, clip)")
@click.option("--freeze-d", type=click.IntRange(min=0),
              help="FreezeD: freeze the discriminator's first N blocks")
@click.option("--subset", metavar="F|N", callback=_subset,
              help="Train on part of the images: a fraction in (0, 1] (0.1) or a count (6000), "
                   "the same images for the same --seed")
@click.option("--sample-every", type=int, callback=_positive, help="Steps between sample grids  [default: an epoch]")
@click.option("--checkpoint-every", type=int, default=500, callback=_positive)
@click.option("--skip-bad-images", is_flag=True, help="Skip unreadable images (and count them)")
@click.option("--eval-every", type=int, callback=_positive,
              help="Steps between metric evaluations; keeps the best checkpoint as best/")
@click.option("--eval-metric", type=click.Choice(["fid", "kid", "is", "precision", "recall"]),
              default="fid", help="Metric that picks best/")
@click.option("--eval-num-samples", type=click.IntRange(min=4), default=2000)
@click.option("--eval-extractor", type=click.Choice(["classifier", "inception_v3"]),
              default="classifier")
@click.option("--eval-weights", help="Classifier .keras file (ganzoo classifier fit)")
@click.option("--max-restarts", type=click.IntRange(min=0), default=0,
              help="On a non-finite loss, restart from the last checkpoint this often")
@click.option("--restart-lr-factor", type=click.FloatRange(0, 1, min_open=True), default=0.5,
              help="Learning rates are multiplied by this at each restart")
@click.option("--devices", help="Devices to train on: a count or 'all' (--batch-size is global)  [default: 1]")
@click.option("--coordinator", metavar="HOST:PORT", help="Multi-host: process 0's address (JAX)")
@click.option("--num-processes", type=int, callback=_positive, help="Multi-host: processes in all")
@click.option("--process-id", type=int, help="Multi-host: this process's index, 0..N-1")
@click.option("--step-timeout", type=float, callback=_positive,
              help="Exit with an error when one step takes longer (seconds)  [default: 300 multi-host]")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar")
@click.pass_context
def train_command(ctx, preset, **params):
    """Train an architecture and write a run directory

    \b
    Examples:
      ganzoo train --preset dcgan-fashion-mnist-32
      ganzoo train --preset dcgan-fashion-mnist-32 --steps 3000 --set base_filters=64
      ganzoo train --arch dcgan --dataset fashion_mnist --image-size 32 --steps 2000
      ganzoo train --arch cgan --dataset ./faces --epochs 5 --set base_filters=32
      ganzoo train --resume runs/dcgan-20261123-101500
    """
    if params["resume"]:
        given = [n for n, v in [("--preset", preset), ("--arch", params["arch"]),
                                ("--dataset", params["dataset"]), ("--epochs", params["epochs"]),
                                ("--set", params["assignments"]),
                                ("--diffaugment", params["diffaugment"]),
                                ("--ada", params["ada"]), ("--apa", params["apa"]),
                                ("--subset", params["subset"]),
                                ("--regularizer", params["regularizers"]),
                                ("--topk", params["topk"]),
                                ("--freeze-d", params["freeze_d"]),
                                ("--logan", params["latent_optimization"])] if v]
        if given:
            raise CLIError(f"--resume continues a run as it was configured; drop "
                           f"{', '.join(given)} (--steps N sets a new total)")
    preset_config = {}
    if preset:
        from ganzoo_cli.presets import apply_preset

        params["arch"], preset_config = apply_preset(ctx, preset, params)
    _train(preset_config=preset_config, **params)


def _train(arch, dataset, image_size, steps, epochs, batch_size, seed, run_dir, config_file,
           assignments, resume, precision, real_transforms, old_augment, diffaugment, ada, apa,
           subset, regularizers, topk, freeze_d, latent_optimization, sample_every,
           checkpoint_every,
           skip_bad_images, eval_every, eval_metric, eval_num_samples, eval_extractor,
           eval_weights, max_restarts, restart_lr_factor, devices, coordinator, num_processes,
           process_id, step_timeout, quiet, preset_config):
    from ganzoo import distribution
    from ganzoo.config import parse_assignments
    from ganzoo.training import TrainingInterrupted, TrainingSpec, train

    verbose = 0 if quiet else 1
    found = distribution.from_cli(devices, coordinator, num_processes, process_id, step_timeout)
    scale = {"devices": found[0], "step_timeout": found[1]}
    d_augment = _d_augment(diffaugment, ada, apa)
    if old_augment is not None:
        click.echo(f"note: --augment is deprecated; use --real-transforms {old_augment}", err=True)
        real_transforms = real_transforms or old_augment
    if resume:
        try:
            train(run_dir=resume, resume=True, verbose=verbose, total_steps=steps, **scale)
        except TrainingInterrupted as exc:
            raise click.exceptions.Exit(_interrupted(exc)) from None
        return
    if not arch or not dataset:
        raise CLIError("--arch and --dataset are required (or --preset NAME, or --resume RUN_DIR)")
    if steps is None and epochs is None:
        raise CLIError("give --steps N or --epochs N")
    if steps is not None and epochs is not None:
        raise CLIError("give --steps or --epochs, not both")
    overrides = dict(preset_config)
    overrides.update(_read_yaml(config_file) if config_file else {})
    overrides.update(parse_assignments(assignments))
    for key, value in (("image_size", image_size), ("batch_size", batch_size)):
        if value is not None:
            overrides[key] = value
    spec = TrainingSpec(
        arch=arch, dataset=dataset, overrides=overrides, steps=steps, epochs=epochs, seed=seed,
        precision=precision,
        real_transforms=tuple(a for a in real_transforms.split(",") if a),
        d_augment=d_augment, subset=subset, regularizers=tuple(regularizers), topk=topk,
        freeze_d=freeze_d or 0, latent_optimization=latent_optimization,
        sample_every=sample_every, checkpoint_every=checkpoint_every,
        skip_bad_images=skip_bad_images, eval_every=eval_every, eval_metric=eval_metric,
        eval_num_samples=eval_num_samples, eval_extractor=eval_extractor,
        eval_weights=eval_weights, max_restarts=max_restarts,
        restart_lr_factor=restart_lr_factor,
    )
    if eval_every:
        from ganzoo_cli.eval_cmd import check_weights

        check_weights(eval_extractor, eval_weights)
    try:
        run = train(spec, run_dir=run_dir, verbose=verbose, **scale)
    except TrainingInterrupted as exc:
        raise click.exceptions.Exit(_interrupted(exc)) from None
    click.echo(str(run.path))


def _interrupted(exc) -> int:
    click.echo(f"Stopped: {exc}", err=True)
    return 130


def _read_yaml(path) -> dict:
    import yaml

    try:
        data = yaml.safe_load(open(path)) or {}
    except yaml.YAMLError as exc:
        raise CLIError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise CLIError(f"{path} must hold a mapping of config keys to values")
    return data
