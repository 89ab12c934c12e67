"""The trainer's data: an endless, seeded stream of global batches that can skip ahead."""

from __future__ import annotations

import numpy as np


def batch_stream(spec, config, image_size: int, batch: int, seed: int, skip: int,
                 strategy=None):
    """An endless, seeded batch stream of global batches; ``skip`` batches already consumed.

    ``spec`` is the run's TrainingSpec, ``config`` its architecture config.
    Keras (JAX) and tf.distribute (TensorFlow) split a tf.data stream over
    devices and processes themselves; the NumPy stream is cut per process here.
    """
    from ganzoo.data import load_arrays, make_dataset, to_model_range

    with_labels = bool(config.num_classes)
    try:
        import tensorflow  # noqa: F401
    except ImportError:  # a JAX-only install: NumPy batches, same order rules
        images, labels = load_arrays(spec.dataset, image_size=image_size,
                                     channels=config.channels, with_labels=with_labels,
                                     skip_bad_images=spec.skip_bad_images)
        if spec.subset is not None:
            from ganzoo.data.pipeline import subset_indices

            keep = subset_indices(len(images), spec.subset, spec.seed)
            images, labels = images[keep], None if labels is None else labels[keep]
        return _array_batches(to_model_range(images), labels, batch, seed, skip,
                              *((strategy.process_id, strategy.num_processes) if strategy else ()))
    ds = make_dataset(spec.dataset, image_size=image_size, batch_size=batch, channels=config.channels,
                      with_labels=with_labels, augment=spec.augment, shuffle=True, seed=seed,
                      repeat=True, drop_remainder=True, skip_bad_images=spec.skip_bad_images,
                      subset=spec.subset, subset_seed=spec.seed)
    return ds.skip(skip) if skip else ds


def _array_batches(images, labels, batch, seed, skip, process=0, processes=1):
    """NumPy batches in a fixed order per (seed, pass); starts ``skip`` batches in."""
    per_pass = len(images) // batch
    index = skip
    while True:
        epoch, position = divmod(index, per_pass)
        order = np.random.default_rng([seed, epoch]).permutation(len(images))
        take = order[position * batch : (position + 1) * batch]
        take = np.array_split(take, processes)[process]  # this process's slice of the batch
        yield (images[take], labels[take]) if labels is not None else images[take]
        index += 1
