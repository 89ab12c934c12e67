"""Corrupt or foreign files where ganzoo reads them: exit 2, one line naming the file, no harm.

Every case builds its bad input in a fresh directory, runs the CLI, and checks
the exit code, that the message is one line naming the file, that no traceback
is printed, and that no file that existed before was changed (nor a half-made
run directory left behind). Images of mixed sizes and channel counts are not
here: ``ganzoo train`` always has an image size and resizes and converts them
(docs/data.md, "Resize").
"""

import hashlib
import json

import numpy as np
import pytest
from PIL import Image
from reliability_helpers import TINY, hashes, invoke, toy_gan

from ganzoo.training import list_checkpoints, save_checkpoint
from ganzoo.training.checkpoints import SUMS


def png(path, size=(16, 16), mode="L"):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, 128).save(path)


def rewrite_state(checkpoint, **changes):
    """Edit a checkpoint's state.json and its checksum (a well-formed foreign file)."""
    state = json.loads((checkpoint / "state.json").read_text())
    state.update(changes)
    (checkpoint / "state.json").write_text(json.dumps(state))
    sums = json.loads((checkpoint / SUMS).read_text())
    sums["state.json"] = hashlib.sha256((checkpoint / "state.json").read_bytes()).hexdigest()
    (checkpoint / SUMS).write_text(json.dumps(sums))


def newest(run):
    return list_checkpoints(run / "checkpoints")[-1]


def truncated_keras(tmp, run):
    data = (run / "gan.keras").read_bytes()
    (tmp / "cut.keras").write_bytes(data[: len(data) // 3])
    return ["sample", "--checkpoint", tmp / "cut.keras", "--out", tmp / "x.png"], "cut.keras"


def config_wrong_types(tmp, run):
    text = (run / "config.yaml").read_text().replace("total_steps: 4", "total_steps: four")
    (run / "config.yaml").write_text(text)
    return ["train", "--resume", run], "config.yaml"


def config_spec_wrong_type(tmp, run):
    text = (run / "config.yaml").read_text().replace("  seed: 0", "  seed: [0]")
    (run / "config.yaml").write_text(text)
    return ["train", "--resume", run], "config.yaml"


def config_not_a_mapping(tmp, run):
    (run / "config.yaml").write_text("- just\n- a list\n")
    return ["sample", "--run", run, "--out", tmp / "x.png"], "config.yaml"


def state_from_newer_ganzoo(tmp, run):
    rewrite_state(newest(run), format=99)
    return ["train", "--resume", run], "step-00000004"


def config_from_newer_ganzoo(tmp, run):
    text = (run / "config.yaml").read_text().replace("  seed: 0", "  seed: 0\n  warp_drive: 9")
    (run / "config.yaml").write_text(text)
    return ["train", "--resume", run], "config.yaml"


def checkpoint_of_another_architecture(tmp, run):
    save_checkpoint(toy_gan(), run / "checkpoints", {"step": 6, "arch": "mlp2d"})
    return ["train", "--resume", run], "step-00000006"


def checkpoint_dir_instead_of_run(tmp, run):
    return ["train", "--resume", newest(run)], "step-00000004"


def non_image_in_folder(tmp, run):
    for i in range(8):
        png(tmp / "faces" / f"{i}.png")
    (tmp / "faces" / "notes.png").write_text("not a picture")
    return ["train", "--dataset", tmp / "faces"], "notes.png"


def npz_wrong_key(tmp, run):
    np.savez(tmp / "k.npz", pictures=np.zeros((16, 16, 16, 1), "uint8"))
    return ["train", "--dataset", tmp / "k.npz"], "k.npz"


def npz_wrong_dtype(tmp, run):
    np.savez(tmp / "d.npz", images=np.full((16, 16, 16, 1), "x"))
    return ["train", "--dataset", tmp / "d.npz"], "d.npz"


def npz_empty(tmp, run):
    np.savez(tmp / "e.npz", images=np.zeros((0, 16, 16, 1), "uint8"))
    return ["train", "--dataset", tmp / "e.npz"], "e.npz"


def folder_empty(tmp, run):
    (tmp / "empty").mkdir()
    return ["train", "--dataset", tmp / "empty"], "empty"


def smaller_than_a_batch(tmp, run):
    np.savez(tmp / "few.npz", images=np.zeros((5, 16, 16, 1), "uint8"))
    return ["train", "--dataset", tmp / "few.npz"], "few.npz"


CASES = [truncated_keras, config_wrong_types, config_spec_wrong_type, config_not_a_mapping,
         state_from_newer_ganzoo, config_from_newer_ganzoo, checkpoint_of_another_architecture,
         checkpoint_dir_instead_of_run, non_image_in_folder,
         npz_wrong_key, npz_wrong_dtype, npz_empty, folder_empty, smaller_than_a_batch]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
def test_bad_input_is_one_line_and_harmless(case, tmp_path, run_copy):
    args, named = case(tmp_path, run_copy)
    if args[0] == "train" and "--resume" not in args:
        args += ["--arch", "dcgan", "--steps", 2, "--run-dir", tmp_path / "new", *TINY]
    before = {k: v for k, v in hashes(tmp_path).items() if not k.endswith(".lock")}
    result = invoke(*args)
    after = {k: v for k, v in hashes(tmp_path).items() if not k.endswith(".lock")}
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert named in lines[0] and "Traceback" not in result.output
    assert after == before
    assert not (tmp_path / "new").exists()
