"""What ``ganzoo export`` writes: the generator to export, its inputs, its custom classes."""

from __future__ import annotations


def generator_to_export(gan, use_ema: bool):
    """The EMA generator when asked for and kept, else the raw one, and which it is."""
    if use_ema and gan.ema_generator is not None:
        return gan.ema_generator, "EMA"
    if use_ema:
        return gan.generator, "raw (this model keeps no EMA generator)"
    return gan.generator, "raw (--no-ema)"


def describe_io(gan, model, fmt: str) -> list[str]:
    """Lines naming the exported model's inputs and output, for the user."""
    z = f"z float32 (n, {gan.latent_dim})"
    inputs = f"[{z}, labels int32 (n,) in 0..{gan.num_classes - 1}]" if gan.num_classes else z
    shape = tuple(model.output_shape)[1:] if hasattr(model, "output_shape") else "(H, W, C)"
    lines = [f"input: {inputs}",
             f"output: images (n, {', '.join(map(str, shape))}) in [-1, 1] (NHWC)"]
    if fmt == "savedmodel":
        lines.append("serve: tf.saved_model.load(path).serve(...) with the same inputs")
    return lines


def custom_classes(model) -> list[str]:
    """``module.Class`` of every layer (or the model) that is not Keras's own."""
    found, stack, seen = [], [model], set()
    while stack:
        layer = stack.pop()
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        cls = type(layer)
        if not cls.__module__.startswith("keras."):
            name = f"{cls.__module__}.{cls.__qualname__}"
            if name not in found:
                found.append(name)
        stack.extend(getattr(layer, "layers", ()))
    return sorted(found)
