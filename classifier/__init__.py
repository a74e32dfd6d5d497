"""SummitWatch classifier: flags news about bilateral leader-level summits involving watched states,
names the two states and explains why. A leaf package: it imports no other project package; the
application calls ``detector.Detector`` and gets back the frozen records of ``verdict``.

Modules by role: ``gazetteer``, ``surface``, ``names`` (pycountry and CLDR country names),
``leaders`` and ``naming`` (states, leaders, places in many languages and scripts), ``cues`` (the
words that say what kind of meeting a text reports), ``actors`` (whose heads are named, whether a
minister is the principal), ``features`` and ``model`` (what the model weighs, and the calibrated
linear model), ``event`` and ``dates`` (the pair, host, status, date and place), ``training``
(seeds, labels and the model cache), ``evaluation``.
"""
