"""Every pipeline inside a compiled (XLA) train step, on the running backend."""

import keras
import numpy as np
import pytest
from augment_critic import AugmentedCritic, critic
from augment_helpers import images, numpy

from ganzoo.augment import ADA, DiffAugment


@pytest.mark.slow
@pytest.mark.parametrize("make, channels", [
    (lambda: DiffAugment(seed=1), 3),
    (lambda: ADA(p=0.5, target=0.6, kimg=0.05, seed=1), 1),
    (lambda: ADA(p=0.5, target=0.6, kimg=0.05, seed=1), 3),
], ids=["diffaugment-rgb", "ada-bgc-grey", "ada-bgc-rgb"])
def test_pipeline_trains_inside_a_jit_compiled_step(make, channels):
    pipeline = make()
    model = AugmentedCritic(critic(size=8, channels=channels), pipeline)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), jit_compile=True)
    before = numpy(pipeline.seed_generator.state)
    weights = [numpy(w) for w in model.critic.weights]
    history = model.fit(images(n=16, channels=channels), batch_size=8, epochs=2,
                        verbose=0).history
    assert np.isfinite(history["d_loss"]).all()
    # Four steps, two pipeline calls each: the stream advanced inside the step.
    assert numpy(pipeline.seed_generator.state)[1] == before[1] + 8
    assert any(not np.allclose(w, numpy(v)) for w, v in zip(weights, model.critic.weights,
                                                              strict=True))
    if isinstance(pipeline, ADA):
        assert "augment_p" in history and float(numpy(pipeline.p)) != 0.5
