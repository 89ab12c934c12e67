"""Evaluation: stream images through an extractor and score them.

``evaluator`` (:func:`ganzoo.metrics.evaluate`) draws generated images batch
by batch and computes the requested scores with their provenance;
``reference`` computes and caches the real data's statistics; ``batches``
reads the forms real data may come in; ``gan_evaluation``
(:func:`ganzoo.metrics.evaluate_gan`) does it all for a trained GAN against
its run's dataset.
"""
