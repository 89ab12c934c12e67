"""Checkpoints reach the disk before they take their name; damaged ones are skipped."""

import os
import warnings
from pathlib import Path

import pytest
from reliability_helpers import invoke, toy_gan

from ganzoo.training import checkpoints as ckpt
from ganzoo.training import latest_checkpoint, list_checkpoints, save_checkpoint


def test_files_and_directory_are_fsynced_before_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def replace(src, dst):
        events.append(("replace", str(src), str(dst)))
        return real_replace(src, dst)

    monkeypatch.setattr(ckpt.os, "fsync", fsync)
    monkeypatch.setattr(ckpt.os, "replace", replace)
    final = save_checkpoint(toy_gan(), tmp_path, {"step": 7})
    renames = [i for i, e in enumerate(events) if e[0] == "replace"]
    assert len(renames) == 1
    (rename,) = renames
    tmp = events[rename][1]
    synced_before = {e[1] for e in events[:rename] if e[0] == "fsync"}
    for name in ("gan.keras", "state.json", ckpt.SUMS):
        assert f"{tmp}/{name}" in synced_before, name
    assert tmp in synced_before  # the directory entry of each file
    assert ("fsync", str(tmp_path)) in events[rename + 1:]  # the rename itself
    assert events[rename][2] == str(final)


@pytest.mark.parametrize("name", ["gan.keras", "state.json"])
def test_checkpoint_truncated_after_rename_is_detected_and_skipped(tmp_path, name):
    gan = toy_gan()
    for step in (1, 2):
        save_checkpoint(gan, tmp_path, {"step": step})
    newest = tmp_path / "step-00000002" / name
    size = newest.stat().st_size
    os.truncate(newest, size // 2)  # what a power cut can leave of unflushed data
    with pytest.warns(UserWarning, match=f"{name} does not match its checksum"):
        assert latest_checkpoint(tmp_path).name == "step-00000001"


def test_resume_skips_a_truncated_newest_checkpoint(run_copy):
    newest = list_checkpoints(run_copy / "checkpoints")[-1]
    os.truncate(newest / "gan.keras", 1000)
    for path in (run_copy / "gan.keras", run_copy / "generator.keras"):
        path.unlink()  # as if the run had been cut before its end
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as PYTHONWARNINGS=ignore: the notice still shows
        result = invoke("train", "--resume", run_copy, "-q")
    assert result.exit_code == 0, result.output
    assert "step-00000004 is unusable (gan.keras does not match its checksum)" in result.output
    assert (run_copy / "gan.keras").is_file()
    for checkpoint in list_checkpoints(run_copy / "checkpoints"):
        assert ckpt.verify(checkpoint) is None  # the damaged one was written again


def test_leftovers_of_a_killed_writer_are_tidied(tmp_path):
    gan = toy_gan()
    save_checkpoint(gan, tmp_path, {"step": 1})
    good = save_checkpoint(gan, tmp_path, {"step": 2})
    # Killed while re-saving step 2: the old copy moved aside, the new one unfinished.
    os.replace(good, tmp_path / ".old-step-00000002-999")
    (tmp_path / ".tmp-step-00000002-999").mkdir()
    (tmp_path / ".tmp-step-00000002-999" / "gan.keras").write_bytes(b"half")
    done = ckpt.recover(tmp_path)
    assert len(done) == 2 and done[0].startswith("restored")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["step-00000001", "step-00000002"]
    assert latest_checkpoint(tmp_path).name == "step-00000002"


def test_a_kill_while_pruning_leaves_no_half_deleted_checkpoint(tmp_path, monkeypatch):
    gan = toy_gan()
    for step in (1, 2):
        save_checkpoint(gan, tmp_path, {"step": step})

    real_rmtree = ckpt.shutil.rmtree

    def dies_half_way(path, ignore_errors=False):  # a pruned checkpoint loses one file, then "kill"
        if not (Path(path) / "gan.keras").is_file():
            return real_rmtree(path, ignore_errors=ignore_errors)
        (Path(path) / "gan.keras").unlink()
        raise SystemExit("killed")

    monkeypatch.setattr(ckpt.shutil, "rmtree", dies_half_way)
    with pytest.raises(SystemExit):
        save_checkpoint(gan, tmp_path, {"step": 3})  # prunes step 1 (keep=2)
    monkeypatch.undo()
    visible = list_checkpoints(tmp_path)
    assert [p.name for p in visible] == ["step-00000002", "step-00000003"]
    assert all(ckpt.verify(p) is None for p in visible)
    assert any(line.startswith("removed unfinished") for line in ckpt.recover(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["step-00000002", "step-00000003"]
