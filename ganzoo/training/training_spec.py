"""What ``ganzoo train`` was asked for: the spec, its precision, the config it resolves to."""

from __future__ import annotations

import dataclasses

from ganzoo import precision
from ganzoo.api import get_architecture
from ganzoo.config import GANConfig
from ganzoo.errors import GanzooError
from ganzoo.training.run_dir import RunDir


@dataclasses.dataclass
class TrainingSpec:
    """Everything ``ganzoo train`` was asked for; saved in the run's config.yaml."""

    arch: str
    dataset: str
    overrides: dict = dataclasses.field(default_factory=dict)  # config key -> value
    steps: int | None = None  # generator steps in all
    epochs: float | None = None  # or passes over the data
    seed: int = 0
    precision: str = "auto"  # resolved by ganzoo.precision when the run starts
    real_transforms: tuple[str, ...] = ()  # flips... of the real data (ganzoo.data): changes it
    d_augment: str | None = None  # differentiable augmentation in D (ganzoo.augment spec)
    subset: float | int | None = None  # part of the training images, fixed by the seed
    regularizers: tuple[str, ...] = ()  # added to the architecture's ("lecam:weight=0.1")
    topk: str | None = None  # top-k training of G ("true" or "decay=0.99,...")
    freeze_d: int = 0  # FreezeD: the discriminator's first blocks to freeze
    latent_optimization: str | None = None  # LOGAN ("true" or "alpha=0.9,steps=2...")
    sample_every: int | None = None  # default: once per epoch
    checkpoint_every: int | None = None  # default: 500 steps
    log_every: int = 10
    skip_bad_images: bool = False
    eval_every: int | None = None  # steps between metric evaluations (keeps best/)
    eval_metric: str = "fid"
    eval_num_samples: int = 2000
    eval_extractor: str = "classifier"
    eval_weights: str | None = None
    max_restarts: int = 0  # non-finite loss: reload the last checkpoint this often
    restart_lr_factor: float = 0.5  # ... multiplying both learning rates by this

    def validate(self) -> None:
        if (self.steps is None) == (self.epochs is None):
            raise GanzooError("give exactly one of --steps and --epochs")
        for name in ("steps", "epochs", "sample_every", "checkpoint_every", "log_every"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise GanzooError(f"--{name.replace('_', '-')} must be positive, got {value}")
        for name, kinds in (("seed", int), ("steps", int), ("epochs", (int, float)),
                            ("sample_every", int), ("checkpoint_every", int),
                            ("log_every", int), ("max_restarts", int),
                            ("restart_lr_factor", (int, float)), ("arch", str),
                            ("dataset", str), ("precision", str), ("overrides", dict)):
            value = getattr(self, name)
            if (value is not None or name in ("seed", "arch", "dataset")) and (
                    not isinstance(value, kinds) or isinstance(value, bool)):
                kind = {int: "an integer", str: "a string", dict: "a mapping"}.get(kinds, "a number")
                raise GanzooError(f"{name} must be {kind}, got {value!r}")
        if self.max_restarts < 0:
            raise GanzooError(f"--max-restarts must be 0 or more, got {self.max_restarts}")
        if not 0 < self.restart_lr_factor <= 1:
            raise GanzooError("--restart-lr-factor must be in (0, 1], got "
                              f"{self.restart_lr_factor}")
        if self.d_augment is not None:
            from ganzoo import augment

            augment.get(self.d_augment)  # an unknown name or option fails before the run starts
        self.check_tricks()
        if self.real_transforms:
            from ganzoo.data.real_transforms import check_real_transforms

            check_real_transforms(self.real_transforms)  # unknown names fail before the run
        if self.subset is not None:
            from ganzoo.data.pipeline import subset_size

            subset_size(10**12, self.subset)  # type and range; the count is checked on the data
        if self.precision not in precision.CHOICES:
            raise GanzooError(f"unknown precision '{self.precision}'; use one of "
                              f"{', '.join(precision.CHOICES)}")


    def check_tricks(self) -> None:
        """Unknown regularizers, options and bad topk/freeze_d/LOGAN settings fail before
        the run starts."""
        from ganzoo.compile_args import to_regularizer
        from ganzoo.tricks.latent_optimization import to_latent_optimization
        from ganzoo.tricks.topk import to_topk

        for value in self.regularizers:
            to_regularizer(value).parts()
        to_topk(self.topk)
        to_latent_optimization(self.latent_optimization)
        if isinstance(self.freeze_d, bool) or not isinstance(self.freeze_d, int) \
                or self.freeze_d < 0:
            raise GanzooError(f"--freeze-d must be a whole number >= 0, got {self.freeze_d!r}")

    def compile_overrides(self, compile_config: dict) -> dict:
        """What this spec changes in a freshly built GAN's compile config."""
        changes: dict = {}
        if self.d_augment is not None:
            changes["augment"] = self.d_augment
        if self.regularizers:
            changes["regularizers"] = [*compile_config.get("regularizers", ()),
                                       *self.regularizers]
        if self.topk is not None:
            changes["topk"] = self.topk
        if self.freeze_d:
            changes["freeze_d"] = self.freeze_d
        if self.latent_optimization is not None:
            changes["latent_optimization"] = self.latent_optimization
        return changes


def resolve_training_spec(spec: TrainingSpec, source):
    """The architecture's config: paper defaults < overrides < what the data says.

    ``source`` is ``spec.dataset`` resolved (``ganzoo.data.resolve_source``).
    """
    from ganzoo.data import dataset_info

    arch = get_architecture(spec.arch)
    if not (isinstance(arch.config_class, type) and issubclass(arch.config_class, GANConfig)):
        raise GanzooError(
            f"architecture '{spec.arch}' does not generate images; `ganzoo train` "
            "trains image GANs (use ganzoo.build(...).fit for it)"
        )
    info = dataset_info(source)
    overrides = dict(spec.overrides)
    overrides.setdefault("channels", info.image_shape[-1] if info.image_shape[-1] in (1, 3) else 3)
    if arch.make_config().num_classes > 0:  # a class-conditional architecture
        if not info.num_classes:
            raise GanzooError(
                f"architecture '{spec.arch}' is class-conditional but dataset "
                f"'{spec.dataset}' has no labels; use labelled data (class sub-folders, "
                "an .npz with labels) or an unconditional architecture"
            )
        overrides.setdefault("num_classes", info.num_classes)
    return arch, arch.make_config(**overrides), info


def spec_from_config(run: RunDir, saved: dict) -> TrainingSpec:
    """The TrainingSpec a run's saved config.yaml holds (``saved``), checked."""
    if "augment" in saved["spec"]:  # real_transforms' name in runs written before it had it
        saved["spec"]["real_transforms"] = saved["spec"].pop("augment")
    known = {f.name for f in dataclasses.fields(TrainingSpec)}
    unknown = sorted(set(saved["spec"]) - known)
    if unknown:
        raise GanzooError(
            f"{run.config_file} has settings this ganzoo does not know ({', '.join(unknown)}; "
            f"written by ganzoo {saved.get('ganzoo_version', '?')}); upgrade ganzoo to resume it")
    try:
        spec = TrainingSpec(**saved["spec"])
        spec.real_transforms = tuple(spec.real_transforms)
        spec.regularizers = tuple(spec.regularizers)
        spec.validate()
    except (TypeError, ValueError, GanzooError) as exc:
        raise GanzooError(f"{run.config_file}: bad 'spec' ({exc}); restore the file "
                          "`ganzoo train` wrote or start a new run") from None
    return spec
