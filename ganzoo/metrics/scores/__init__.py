"""The scores, on NumPy feature arrays (float64, any backend).

``frechet`` (FID's Fréchet distance), ``kid`` (kernel inception distance),
``inception_score``, ``precision_recall`` (improved precision/recall, k=3)
and ``statistics`` (streaming mean and covariance, the feature-array checks
they share). Nothing here knows about images or networks.
"""
