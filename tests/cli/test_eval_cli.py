"""ganzoo classifier fit -> train (--eval-every) -> eval through the CLI; bad input."""

import json

import numpy as np
import pytest
from click.testing import CliRunner
from ganzoo_cli.main import cli
from ganzoo_cli.run_loading import load_run_gan

from ganzoo.metrics import class_accuracy, load_classifier
from ganzoo.training import load_checkpoint

TINY = ["--image-size", "16", "--batch-size", "8", "--set", "base_filters=8", "-q"]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def classifier(tiny_npz, tmp_path_factory):
    out = tmp_path_factory.mktemp("clf") / "tiny.keras"
    result = invoke("classifier", "fit", "--dataset", tiny_npz, "--out", out,
                    "--epochs", 1, "--batch-size", 16, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{"):])
    assert report["num_classes"] == 3 and 0 <= report["accuracy"] <= 1
    assert len(report["weights_hash"]) == 64 and out.is_file()
    return out


@pytest.mark.slow
def test_train_with_eval_every_then_eval(tmp_path, tiny_npz, classifier):
    run = tmp_path / "run"
    result = invoke("train", "--arch", "cgan", "--dataset", tiny_npz, "--steps", 4,
                    "--eval-every", 2, "--eval-num-samples", 16, "--eval-weights", classifier,
                    "--run-dir", run, *TINY)
    assert result.exit_code == 0, result.output
    evals = [json.loads(x) for x in (run / "metrics.jsonl").read_text().splitlines()
             if '"event": "eval"' in x]
    assert [e["step"] for e in evals] == [2, 4] and evals[0]["best"]
    best = json.loads((run / "best" / "best.json").read_text())
    assert best["metric"] == "fid"
    assert best["value"] == min(e["fid"] for e in evals)
    gan, state = load_checkpoint(run / "best")
    assert state["step"] == best["step"] and gan.num_classes == 3
    logged = _tensorboard_scalars(run / "logs" / "eval")
    if logged is not None:
        assert logged["eval/fid"] == pytest.approx([e["fid"] for e in evals])

    result = invoke("eval", "--run", run, "--weights", classifier, "--num-samples", 32,
                    "--batch-size", 16, "--seed", 1, "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output[result.output.index("{"):])
    for key in ("fid", "kid", "is", "precision", "recall", "class_accuracy", "floor"):
        assert key in record, key
    prov = record["provenance"]
    assert prov["extractor"] == "classifier" and len(prov["weights_hash"]) == 64
    assert prov["num_generated"] == 32 and prov["seed"] == 1
    assert prov["reference_size"] == 48 and prov["resize_method"]
    assert prov["generator"] == "raw"  # cgan keeps no EMA
    last = json.loads((run / "metrics.jsonl").read_text().splitlines()[-1])
    assert last["event"] == "eval" and last["fid"] == record["fid"]

    result = invoke("eval", "--run", run, "--checkpoint", run / "best", "--weights",
                    classifier, "--metrics", "fid", "--num-samples", 16)
    assert result.exit_code == 0, result.output
    assert "fid" in result.output and "reference" in result.output

    # --truncation: one set of standing BN statistics for the whole evaluation
    # scores the same images as generate(truncation=) one batch at a time.
    result = invoke("eval", "--run", run, "--weights", classifier, "--metrics", "fid",
                    "--num-samples", 32, "--batch-size", 16, "--truncation", 0.5, "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output[result.output.index("{"):])
    assert record["provenance"]["truncation"] == 0.5
    gan = load_run_gan(str(run), None)
    images = np.concatenate([gan.generate(16, seed=start, labels=np.arange(start, start + 16) % 3,
                                          truncation=0.5) for start in (0, 16)])
    accuracy = class_accuracy(load_classifier(classifier), images, np.arange(32) % 3)
    assert record["class_accuracy"] == pytest.approx(accuracy)


@pytest.mark.parametrize("args, message", [
    (["--metrics", "fid,bogus", "--weights", "x.keras"], "unknown metric 'bogus'; choose from fid"),
    (["--extractor", "classifier"], "ganzoo classifier fit"),
    (["--weights", "/nonexistent.keras"], "does not exist"),
])
def test_eval_bad_input(tmp_path, args, message):
    (tmp_path / "config.yaml").write_text("arch: dcgan\n")
    result = invoke("eval", "--run", tmp_path, *args)
    assert result.exit_code == 2 and message in result.output, result.output


def test_eval_old_preprocessing_option_is_resize(tmp_path, tiny_npz):
    # --preprocessing (clean/legacy) was --resize's name; it still works, with a notice.
    result = invoke("eval", "--run", tmp_path, "--weights", tiny_npz, "--preprocessing", "legacy")
    assert result.exit_code == 2, result.output
    assert "--preprocessing is deprecated; use --resize torch_bilinear" in result.output
    assert "--resize and --any-weights apply to --extractor fid_inception only" in result.output


def test_eval_not_a_run(tmp_path, tiny_npz):
    result = invoke("eval", "--run", tmp_path, "--weights", tiny_npz)
    assert result.exit_code == 2 and "not a ganzoo run directory" in result.output


def test_classifier_bad_input(tmp_path):
    import numpy as np

    unlabelled = tmp_path / "u.npz"
    np.savez(unlabelled, images=np.zeros((8, 16, 16, 1), "uint8"))
    cases = [
        (["--dataset", unlabelled, "--out", tmp_path / "c.keras"], "has no labels"),
        (["--dataset", unlabelled, "--out", tmp_path / "c.h5"], "must end in .keras"),
        (["--dataset", unlabelled, "--out", tmp_path / "no" / "c.keras"], "does not exist"),
        (["--dataset", tmp_path / "missing.npz", "--out", tmp_path / "c.keras"], "--dataset"),
    ]
    for args, message in cases:
        result = invoke("classifier", "fit", *args)
        assert result.exit_code == 2 and message in result.output, (args, result.output)


def test_train_eval_every_needs_weights(tmp_path, tiny_npz):
    result = invoke("train", "--arch", "dcgan", "--dataset", tiny_npz, "--steps", 2,
                    "--eval-every", 1, "--run-dir", tmp_path / "r", *TINY)
    assert result.exit_code == 2 and "ganzoo classifier fit" in result.output


def _tensorboard_scalars(log_dir):
    """{tag: [values by step]} from TensorBoard event files; None without TensorFlow."""
    try:
        import tensorflow as tf
    except ImportError:
        return None
    scalars = {}
    for path in sorted(log_dir.glob("events.out.tfevents.*")):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            for value in event.summary.value:
                tensor = tf.make_ndarray(value.tensor)
                scalars.setdefault(value.tag, []).append(float(tensor))
    return scalars


@pytest.fixture(scope="module")
def cgan_run(tiny_npz, tmp_path_factory):
    """A run directory holding an untrained tiny cgan (no training: only eval reads it)."""
    import keras

    import ganzoo
    from ganzoo.metrics import build_classifier, save_classifier
    from ganzoo.training import RunDir

    run = tmp_path_factory.mktemp("runs") / "cgan"
    config = dict(image_size=16, channels=1, num_classes=3, base_filters=8, latent_dim=8)
    gan = ganzoo.build("cgan", **config)
    run_dir = RunDir.create(run)
    gan.save(run_dir.gan_file)
    run_dir.write_config({"arch": "cgan", "dataset": tiny_npz, "total_steps": 1,
                          "examples_per_epoch": 48, "spec": {"precision": "fp32"},
                          "config": config})
    keras.utils.set_random_seed(0)
    weights = save_classifier(build_classifier((16, 16, 1), 3, width=8, feature_dim=16),
                              run / "classifier.keras")
    return run, weights


@pytest.mark.slow
def test_eval_density_coverage_and_intra_fid(cgan_run, tmp_path):
    run, weights = cgan_run
    result = invoke("eval", "--run", run, "--weights", weights, "--metrics", "fid,dc,intra_fid",
                    "--num-samples", 24, "--batch-size", 12, "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output[result.output.index("{"):])
    assert 0 <= record["coverage"] <= 1 and record["density"] >= 0
    per_class = record["intra_fid_per_class"]
    assert sorted(per_class) == ["0", "1", "2"]
    assert record["intra_fid"] == pytest.approx(np.mean(list(per_class.values())))
    assert {"density", "coverage"} <= set(record["floor"])
    prov = record["provenance"]
    assert prov["metrics"] == ["fid", "dc", "intra_fid"] and prov["dc_k"] == 5
    assert prov["intra_fid_samples_per_class"] == 8 and sum(prov["intra_fid_real_per_class"]) == 48
    assert prov["extractor"] == "classifier" and len(prov["weights_hash"]) == 64
    last = json.loads((run / "metrics.jsonl").read_text().splitlines()[-1])
    assert last["intra_fid_per_class"] == per_class and last["density"] == record["density"]

    result = invoke("eval", "--run", run, "--weights", weights, "--metrics", "intra_fid",
                    "--num-samples", 12, "--batch-size", 12)
    assert result.exit_code == 0, result.output
    assert "intra_fid[2]" in result.output and "extractor classifier" in result.output

    unlabelled = tmp_path / "unlabelled.npz"
    np.savez(unlabelled, images=np.zeros((8, 16, 16, 1), "uint8"))
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "gan.keras").write_bytes((run / "gan.keras").read_bytes())
    import yaml

    saved = yaml.safe_load((run / "config.yaml").read_text())
    saved["dataset"] = str(unlabelled)
    (copy / "config.yaml").write_text(yaml.safe_dump(saved))
    result = invoke("eval", "--run", copy, "--weights", weights, "--metrics", "intra_fid",
                    "--num-samples", 12)
    assert result.exit_code == 2, result.output
    assert "intra_fid needs class labels" in result.output and "Traceback" not in result.output
