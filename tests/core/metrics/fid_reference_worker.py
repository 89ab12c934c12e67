"""The reference side of test_fid_inception_reference.py, run in its own process.

PyTorch's CUDA build of torchvision crashes when imported after TensorFlow
(both load their own CUDA libraries), and the test process has TensorFlow
loaded, so everything that imports torch runs here, in a fresh interpreter:

    python fid_reference_worker.py FOLDER

reads ``FOLDER/inputs.npz`` (uint8 images, synthetic features) and writes
``random_fid.pth`` and ``random_fid_legacy.pth`` (pytorch-fid's FID
Inception with random weights, both torch.save formats), ``state.npz`` (its
state dict) and ``outputs.npz`` (pytorch-fid features, clean-fid and torch
resizes, pytorch-fid Fréchet distances).
"""

import sys
from pathlib import Path
from unittest import mock

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from cleanfid.resize import make_resizer
from pytorch_fid import inception as pfi
from pytorch_fid.fid_score import calculate_frechet_distance


def random_fid_state() -> dict:
    """pytorch-fid's FID Inception with random weights and calibrated batch norms."""
    torch.manual_seed(0)

    def no_download(*_a, **_k):  # torchvision's Inception3 has the same keys
        return torchvision.models.inception_v3(
            num_classes=1008, aux_logits=False, weights=None, init_weights=True
        ).state_dict()

    with mock.patch.object(pfi, "load_state_dict_from_url", no_download):
        net = pfi.fid_inception_v3()
    gen = torch.Generator().manual_seed(1)
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.momentum = None  # running stats: the plain average over one batch
            m.reset_running_stats()
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5, generator=gen)
                m.bias.normal_(0.0, 0.1, generator=gen)
    net.train()  # one pass on noise sets the running statistics
    with torch.no_grad():
        net(torch.rand(2, 3, 299, 299, generator=gen) * 2 - 1)
    return net.eval().state_dict()


def pool_features(model, images_01_nhwc) -> np.ndarray:
    x = torch.from_numpy(np.ascontiguousarray(images_01_nhwc, np.float32))
    with torch.no_grad():
        return model(x.permute(0, 3, 1, 2))[0][:, :, 0, 0].numpy()


def stats(features):
    return features.mean(0), np.atleast_2d(np.cov(features, rowvar=False))


def main(folder: Path) -> None:
    torch.set_num_threads(2)
    inputs = dict(np.load(folder / "inputs.npz"))
    state = random_fid_state()
    torch.save(state, folder / "random_fid.pth")
    torch.save(
        state, folder / "random_fid_legacy.pth", _use_new_zipfile_serialization=False
    )
    np.savez(folder / "state.npz", **{k: v.numpy() for k, v in state.items()})
    with mock.patch.object(pfi, "load_state_dict_from_url", lambda *_a, **_k: state):
        model = pfi.InceptionV3([pfi.InceptionV3.BLOCK_INDEX_BY_DIM[2048]]).eval()
    clean = make_resizer("PIL", False, "bicubic", (299, 299))
    out = {}
    rgb, gray_rgb = inputs["rgb"], np.repeat(inputs["gray"], 3, axis=-1)
    # pytorch-fid: [0, 1] images, its own bilinear resize inside the model
    out["legacy_rgb"] = pool_features(model, rgb / 255.0)
    out["legacy_gray"] = pool_features(model, gray_rgb / 255.0)
    # clean-fid's resize in front of the same network (already 299: no resize)
    model.resize_input = False
    out["clean_rgb_resized"] = np.stack([clean(im) for im in rgb])
    out["clean_rgb"] = pool_features(model, out["clean_rgb_resized"] / 255.0)
    out["clean_gray_resized"] = np.stack([clean(im) for im in gray_rgb])
    out["clean_large_resized"] = np.stack([clean(im) for im in inputs["large"]])
    for name in ("rgb", "large"):
        x = torch.from_numpy(inputs[name].astype(np.float32)).permute(0, 3, 1, 2)
        y = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False)
        out[f"torch_bilinear_{name}"] = y.permute(0, 2, 3, 1).numpy()
    # Fréchet distances on pytorch-fid's own features. A handful of images
    # spans a handful of dimensions and scipy's sqrtm needs full-rank
    # covariances (and its sqrtm fails on 1x1 ones), so: the first two
    # features varying in both sets (3 images each); and synthetic
    # full-rank 128-d features from the test.
    a, b = out["legacy_rgb"].astype(np.float64), out["legacy_gray"].astype(np.float64)
    dims = np.flatnonzero((a.std(0) > 0) & (b.std(0) > 0))[:2]
    out["fd_small_a"], out["fd_small_b"] = a[:, dims], b[:, dims]
    out["fd_synthetic_a"], out["fd_synthetic_b"] = (
        inputs["synthetic_a"],
        inputs["synthetic_b"],
    )
    for pair in ("fd_small", "fd_synthetic"):
        a, b = out[f"{pair}_a"], out[f"{pair}_b"]
        out[pair] = calculate_frechet_distance(*stats(a), *stats(b))
    np.savez(folder / "outputs.npz", **out)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
