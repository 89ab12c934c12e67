"""Feature extractors: images in, feature (and logit) arrays out.

``feature_extractor`` defines the protocol any extractor follows and the
base class of those that are Keras models (one chunked batching loop);
``preprocessing`` brings user images to a network's input (channels, pixel
range and the named resizes that are part of every score's provenance);
``extractor_registry`` looks extractors up by name. The built-ins:
``inception`` (Keras' InceptionV3), ``fid_inception`` (the 2015 Inception
graph papers' FIDs use, with ``fid_inception_weights`` finding and
converting pytorch-fid's file, read by ``ganzoo.importers.pth_reader``
without PyTorch) and ``classifier`` (a small domain classifier ganzoo trains).
"""
