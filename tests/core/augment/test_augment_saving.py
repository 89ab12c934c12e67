"""Spec strings, the plugin registry, and saving: p and the stream survive save/load."""

import keras
import numpy as np
import pytest
from augment_helpers import images, numpy, reseed

import ganzoo.augment as augment
from ganzoo.augment import ADA, AugmentPipeline, DiffAugment
from ganzoo.errors import GanzooError, UnknownNameError
from ganzoo.hookspecs import hookimpl
from ganzoo.plugins import get_plugin_manager
from ganzoo.registry import Named


def test_spec_strings_build_the_pipelines():
    diff = augment.get("diffaugment:color,cutout")
    assert isinstance(diff, DiffAugment) and diff.policy == ["color", "cutout"]
    assert augment.get("diffaugment").policy == ["color", "translation", "cutout"]
    ada = augment.get("ada")
    assert isinstance(ada, ADA) and ada.target == 0.6 and ada.interval == 4
    assert ada.kimg == 500 and float(numpy(ada.p)) == 0.0
    assert augment.get("ada:0.7").target == 0.7
    fixed = augment.get("ada:target=none,p=0.3,pipeline=bg")
    assert fixed.target is None and float(numpy(fixed.p)) == pytest.approx(0.3)
    assert "brightness" not in fixed.pipeline and "xflip" in fixed.pipeline
    assert augment.get(None) is None and augment.get("none") is None
    assert augment.get(ada) is ada
    assert {"ada", "diffaugment"} <= set(augment.names())


def test_bad_specs_are_one_line_errors():
    with pytest.raises(UnknownNameError, match="did you mean 'diffaugment'"):
        augment.get("diffaugmnt")
    with pytest.raises(GanzooError, match="unknown ADA option 'rate'"):
        augment.get("ada:rate=2")
    with pytest.raises(GanzooError, match="not a number"):
        augment.get("ada:target=high")
    with pytest.raises(GanzooError, match="is not an augmentation"):
        augment.get(3)


class Invert(AugmentPipeline):
    """A plugin's pipeline: negates the images."""

    spec_name = "invert"

    def augment(self, images, random):
        return -images

    @classmethod
    def from_spec(cls, argument):
        return cls()


class InvertPlugin:
    @hookimpl
    def register_augmentations(self, register):
        register(Named("invert", Invert))


@pytest.fixture
def invert_plugin():
    manager = get_plugin_manager()
    manager.register(InvertPlugin(), name="invert_plugin")
    yield
    manager.unregister("invert_plugin")


def test_plugins_add_pipelines_that_serialize_by_name(invert_plugin):
    pipeline = augment.get("invert")
    x = images(n=2)
    np.testing.assert_array_equal(numpy(pipeline(x)), -x)
    config = augment.serialize(pipeline)
    assert config["name"] == "invert"
    assert isinstance(augment.deserialize(config), Invert)


def test_config_round_trip_keeps_every_setting():
    ada = ADA(target=0.5, interval=2, kimg=100, p=0.2, pipeline="gc", seed=9)
    for copy in (ADA.from_config(ada.get_config()),
                 keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(ada)),
                 augment.deserialize(augment.serialize(ada))):
        assert type(copy) is ADA
        assert copy.get_config() == ada.get_config()
    diff = DiffAugment("translation", translation_ratio=0.25, seed=2)
    assert augment.deserialize(augment.serialize(diff)).get_config() == diff.get_config()


@keras.saving.register_keras_serializable(package="ganzoo_tests")
class Holder(keras.Model):
    """A model that owns a pipeline, as the GAN will."""

    def __init__(self, pipeline=None, **kwargs):
        super().__init__(**kwargs)
        self.pipeline = augment.get(pipeline) if pipeline is not None else ADA()
        self.dense = keras.layers.Dense(1)
        self.dense.build((None, 4))
        self.built = True

    def call(self, x):
        return self.dense(x)

    def get_config(self):
        return {**super().get_config(), "pipeline": augment.serialize(self.pipeline)}


def test_p_accumulators_and_stream_survive_save_and_load(tmp_path):
    model = Holder(ADA(target=0.6, interval=3, kimg=0.1, p=0.0, seed=4))
    ada = reseed(model.pipeline, 11)
    for _ in range(4):  # one adjustment, then one step into the next interval
        ada.update(np.ones((5,), "float32"))
    assert float(numpy(ada.p)) == pytest.approx(0.15)
    ada(images(n=2))  # advance the stream
    path = tmp_path / "holder.keras"
    model.save(path)
    expected = numpy(ada(images(n=2)))
    loaded = keras.saving.load_model(path)
    restored = loaded.pipeline
    assert type(restored) is ADA and restored.interval == 3
    assert float(numpy(restored.p)) == pytest.approx(0.15)
    assert int(numpy(restored.calls)) == 1 and float(numpy(restored.real_count)) == 5.0
    # The stream resumes where it was saved: the next augmentation is the same.
    np.testing.assert_array_equal(numpy(restored(images(n=2))), expected)
    # ...and adapting continues from the saved state: two more updates finish the interval.
    restored.update(np.ones((5,), "float32"))
    restored.update(np.ones((5,), "float32"))
    assert float(numpy(restored.p)) == pytest.approx(0.30)


def test_bound_pipeline_draws_from_the_given_stream():
    gan_stream = keras.random.SeedGenerator(21)
    aug = DiffAugment(seed=1)
    own_before = numpy(aug.seed_generator.state)
    aug.bind(gan_stream)
    x = images(n=2)
    first = numpy(aug(x))
    assert numpy(gan_stream.state)[1] == 1  # the borrowed stream advanced...
    np.testing.assert_array_equal(numpy(aug.seed_generator.state), own_before)  # not its own
    assert id(gan_stream.state) not in {id(v) for v in aug.variables}  # nor tracked twice
    other = DiffAugment(seed=5)
    other.bind(keras.random.SeedGenerator(21))
    np.testing.assert_array_equal(numpy(other(x)), first)  # same stream, same draws
