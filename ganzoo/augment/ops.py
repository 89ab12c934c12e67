"""Differentiable image primitives in keras.ops (NHWC, float32, any batch size).

Each takes per-sample parameters as tensors, so one compiled step serves every
draw; gradients flow to the images through gathers, masks and interpolation
weights (not to the integer positions, which have none).
"""

from __future__ import annotations

from keras import ops

from ganzoo.errors import GanzooError


def static_hw(images) -> tuple[int, int, int]:
    """Height, width and channels, which must be known when the step is traced."""
    shape = tuple(images.shape)
    if len(shape) != 4 or any(d is None for d in shape[1:]):
        raise GanzooError(
            f"augmentations need NHWC images with a known size, got shape {shape}; "
            "pass 4-D batches of images"
        )
    return int(shape[1]), int(shape[2]), int(shape[3])


def gather_pixels(images, ys, xs):
    """``out[b, i, j] = images[b, ys[b, i, j], xs[b, i, j]]`` (indices in range)."""
    height, width, channels = static_hw(images)
    batch = ops.shape(images)[0]
    flat = ops.reshape(images, (-1, channels))
    base = ops.reshape(ops.arange(batch, dtype="int32") * (height * width), (-1, 1, 1))
    index = base + ys * width + xs
    out = ops.take(flat, ops.reshape(index, (-1,)), axis=0)
    return ops.reshape(out, (batch, ys.shape[1], ys.shape[2], channels))


def _grid(height: int, width: int):
    """Row and column indices, each ``(1, height, width)`` int32."""
    rows = ops.arange(height, dtype="int32")[None, :, None] + ops.zeros((1, 1, width), "int32")
    cols = ops.arange(width, dtype="int32")[None, None, :] + ops.zeros((1, height, 1), "int32")
    return rows, cols


def translate_integer(images, ty, tx):
    """Shift each image by whole pixels, filling with zeros.

    ``out[b, i, j] = images[b, i + ty[b], j + tx[b]]`` where that lies inside the
    image, else 0 (DiffAugment's translation). ``ty``, ``tx``: ``(batch,)`` int32.
    """
    height, width, _ = static_hw(images)
    rows, cols = _grid(height, width)
    ys = rows + ty[:, None, None]
    xs = cols + tx[:, None, None]
    inside = (ys >= 0) & (ys < height) & (xs >= 0) & (xs < width)
    out = gather_pixels(images, ops.clip(ys, 0, height - 1), ops.clip(xs, 0, width - 1))
    return out * ops.cast(inside, images.dtype)[..., None]


def cut_out(images, top, left, size_h: int, size_w: int):
    """Zero a ``size_h x size_w`` rectangle whose top-left is (``top``, ``left``).

    The rectangle may hang over the border (only its inside part is zeroed).
    ``top``, ``left``: ``(batch,)`` int32.
    """
    images = ops.convert_to_tensor(images)  # NumPy's ``array * tensor`` fails on PyTorch
    height, width, _ = static_hw(images)
    rows, cols = _grid(height, width)
    top, left = top[:, None, None], left[:, None, None]
    inside = (rows >= top) & (rows < top + size_h) & (cols >= left) & (cols < left + size_w)
    return images * ops.cast(~inside, images.dtype)[..., None]


def _reflect(coord, size: int):
    """Mirror a continuous coordinate into [0, size - 1] (reflect padding, edge not repeated)."""
    if size == 1:
        return ops.zeros_like(coord)
    period = 2.0 * (size - 1)
    coord = ops.mod(coord, period)
    return ops.where(coord > size - 1, period - coord, coord)


def affine_resample(images, g_inv):
    """Warp each image by an affine map, bilinear sampling with reflect padding.

    ``g_inv``: ``(batch, 3, 3)`` mapping an output pixel, in pixel units about the
    image centre (x right, y down), to the input position it samples. An identity
    matrix returns the images exactly; whole-pixel maps (flips, quarter turns,
    integer shifts) copy pixels without blur.
    """
    height, width, _ = static_hw(images)
    cy, cx = (height - 1) / 2.0, (width - 1) / 2.0
    rows, cols = _grid(height, width)
    gx = ops.cast(cols, "float32") - cx
    gy = ops.cast(rows, "float32") - cy
    g = g_inv[:, :, :, None, None]  # (batch, 3, 3, 1, 1) against (1, h, w) grids
    src_x = g[:, 0, 0] * gx + g[:, 0, 1] * gy + g[:, 0, 2] + cx
    src_y = g[:, 1, 0] * gx + g[:, 1, 1] * gy + g[:, 1, 2] + cy
    src_x, src_y = _reflect(src_x, width), _reflect(src_y, height)
    x0f, y0f = ops.floor(src_x), ops.floor(src_y)
    wx = ops.cast(src_x - x0f, images.dtype)[..., None]
    wy = ops.cast(src_y - y0f, images.dtype)[..., None]
    x0, y0 = ops.cast(x0f, "int32"), ops.cast(y0f, "int32")
    x0, y0 = ops.clip(x0, 0, width - 1), ops.clip(y0, 0, height - 1)
    x1, y1 = ops.minimum(x0 + 1, width - 1), ops.minimum(y0 + 1, height - 1)
    top = gather_pixels(images, y0, x0) * (1.0 - wx) + gather_pixels(images, y0, x1) * wx
    bottom = gather_pixels(images, y1, x0) * (1.0 - wx) + gather_pixels(images, y1, x1) * wx
    return top * (1.0 - wy) + bottom * wy


def apply_color_matrix(images, c):
    """Apply a ``(batch, 4, 4)`` homogeneous RGB matrix to 3- or 1-channel images.

    A 1-channel image is treated as grey RGB ``(g, g, g)`` and the result's mean
    over R, G, B is kept (as the ADA reference does): the gain is the mean row
    sum of the 3x3 block, the offset the mean of the translation column.
    """
    _, _, channels = static_hw(images)
    if channels == 3:
        out = ops.einsum("bij,bhwj->bhwi", c[:, :3, :3], images)
        return out + c[:, None, None, :3, 3]
    if channels == 1:
        gain = ops.sum(c[:, :3, :3], axis=(1, 2)) / 3.0
        offset = ops.sum(c[:, :3, 3], axis=1) / 3.0
        return images * gain[:, None, None, None] + offset[:, None, None, None]
    raise GanzooError(
        f"colour augmentations need 1- or 3-channel images, got {channels} channels; "
        "drop the colour ops for these images"
    )
