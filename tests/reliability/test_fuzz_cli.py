"""Fuzzed CLI: random arguments to train/sample/interpolate/eval/export end in exit 0 or 2.

Hypothesis draws each command's options from valid values, out-of-range
numbers, random text, missing files and conflicting flags. Every example must
exit with 0 or 2, raise nothing past Click, print no traceback, and change no
file outside the run directory (or --out file) it was given. Training is kept
to at most 2 steps of a tiny model, so a valid draw costs seconds. The draws
are derandomized: a failure reproduces.
"""

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_helpers import hashes, invoke

SETTINGS = dict(deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
               max_size=12)


@pytest.fixture
def workspace(tmp_path, monkeypatch, finished_run, tiny_npz):
    """A directory with a dataset, a finished run and a bystander file; the cwd."""
    shutil.copy(tiny_npz, tmp_path / "tiny.npz")
    shutil.copytree(finished_run, tmp_path / "run")
    (tmp_path / "bystander.txt").write_text("must not change")
    (tmp_path / "empty.npz").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    return tmp_path


BAD = st.one_of(text, st.integers(-10, 0).map(str), st.floats().map(str),
                st.sampled_from(["missing.npz", "bystander.txt", "run", ".", "", "1e309",
                                 "no/such/dir", "empty.npz", "run/config.yaml"]))


def fuzzed(base: list[str], extra: list[list[str]]):
    """``base`` (a valid command) with up to three mutations: an option given a bad
    value (Click keeps the last), an option dropped, or a conflicting flag added."""
    names = [a for a in base if a.startswith("--")]
    mutation = st.one_of(
        st.tuples(st.sampled_from(names), BAD).map(list),
        st.sampled_from(extra),
        st.sampled_from(names).map(lambda n: ["--drop", n]),
    )

    def apply(mutations):
        args = list(base)
        for m in mutations:
            if m[0] == "--drop" and m[1] in args:
                i = args.index(m[1])
                del args[i:i + (1 if i + 1 == len(args) or args[i + 1].startswith("--")
                                else 2)]
            elif m[0] != "--drop":
                args += m
        return args

    return st.lists(mutation, max_size=3).map(apply)


# Training is capped at 2 steps of a tiny model: no draw starts a long run.
TRAIN = fuzzed(
    ["--arch", "dcgan", "--dataset", "tiny.npz", "--steps", "2", "--run-dir", "out",
     "--checkpoint-every", "1", "--sample-every", "1", "--seed", "1", "--max-restarts", "1",
     "--restart-lr-factor", "0.5", "--real-transforms", "flip", "--precision", "fp32"],
    [["--resume", "run"], ["--epochs", "0.01"], ["--steps", "1000000000", "--arch", "nope"],
     ["--set", "widht=3"], ["--set", "image_size=24"], ["--config", "run/config.yaml"],
     ["--eval-every", "1"], ["--run-dir", "run"], ["--resume", "out", "--steps", "1"],
     ["--batch-size", "0"], ["--arch", "mlp2d"], ["--dataset", "empty.npz"]])
SAMPLE = fuzzed(
    ["--run", "run", "--num", "4", "--seed", "0", "--truncation", "0.5", "--out", "g.png"],
    [["--checkpoint", "run/gan.keras"], ["--checkpoint", "tiny.npz"], ["--class", "3"],
     ["--truncation-sweep", "1,0.5"], ["--truncation-sweep", "1,-1"], ["--no-ema"],
     ["--out", "g.npz"], ["--out", "run/config.yaml"], ["--out", "g.jpg"]])
INTERPOLATE = fuzzed(
    ["--run", "run", "--seeds", "1,2", "--steps", "3", "--out", "s.png"],
    [["--spherical"], ["--seeds", "1,2,3"], ["--checkpoint", "run/checkpoints/step-00000002"],
     ["--class", "1"], ["--out", "run"], ["--steps", "1"]])
# No classifier weights exist here, so eval stops at argument checks or at that one.
EVAL = fuzzed(
    ["--run", "run", "--metrics", "fid", "--num-samples", "4", "--batch-size", "4",
     "--extractor", "classifier", "--weights", "missing.keras"],
    [["--metrics", "bogus"], ["--extractor", "inception_v3"], ["--truncation", "-1"],
     ["--checkpoint", "run/gan.keras"], ["--split", "nope"], ["--json"]])
EXPORT = fuzzed(
    ["--run", "run", "--out", "g.keras"],
    [["--no-ema"], ["--format", "savedmodel", "--out", "served"], ["--format", "bogus"],
     ["--checkpoint", "run/gan.keras"], ["--checkpoint", "tiny.npz"], ["--out", "g.png"],
     ["--out", "run/config.yaml"], ["--out", "run"], ["--run", "missing"]])

# Fixed first, so that a drawn value of the same option (Click keeps the last) wins.
BASE = {"train": ["--image-size", "16", "--batch-size", "8", "--set", "base_filters=8", "-q"],
        "sample": [], "interpolate": [], "eval": [], "export": []}


def allowed_to_change(args) -> list[str]:
    """The run directory and output file an invocation was given (and the default runs/)."""
    given = ["runs"]
    for flag in ("--run-dir", "--resume", "--out"):
        given += [args[i + 1] for i, a in enumerate(args[:-1]) if a == flag]
    return given


def check(workspace: Path, command: str, args: list[str]):
    before = hashes(workspace)
    result = invoke(command, *BASE[command], *args)
    after = hashes(workspace)
    assert result.exit_code in (0, 2), (args, result.output)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in result.output, (args, result.output)
    free = [Path(p) for p in allowed_to_change(args)]

    def inside(name):
        return any(Path(name) == p or p in Path(name).parents for p in free)

    changed = {k for k in before.keys() | after.keys()
               if before.get(k) != after.get(k) and not inside(k)}
    assert not changed, (args, sorted(changed), result.output)


@settings(max_examples=50, **SETTINGS)
@given(args=TRAIN)
def test_fuzzed_train(workspace, args):
    check(workspace, "train", args)


@settings(max_examples=30, **SETTINGS)
@given(args=SAMPLE)
def test_fuzzed_sample(workspace, args):
    check(workspace, "sample", args)


@settings(max_examples=30, **SETTINGS)
@given(args=INTERPOLATE)
def test_fuzzed_interpolate(workspace, args):
    check(workspace, "interpolate", args)


@settings(max_examples=30, **SETTINGS)
@given(args=EVAL)
def test_fuzzed_eval(workspace, args):
    check(workspace, "eval", args)


@settings(max_examples=30, **SETTINGS)
@given(args=EXPORT)
def test_fuzzed_export(workspace, args):
    check(workspace, "export", args)
