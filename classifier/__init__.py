"""SummitWatch classifier: flags news about bilateral leader-level summits involving watched states,
names the two states and explains why. A leaf package: it imports no other project package; the
application calls ``detector.Detector`` and gets back the frozen records of ``verdict``.

Modules by role: ``gazetteer`` and ``surface`` (states, leaders, places in many languages and
scripts), ``cues`` (the words that say what kind of meeting a text reports), ``features`` and
``model`` (what the model weighs, and the calibrated linear model), ``event`` (the pair, host,
status, date and place), ``training`` (seeds, labels and the model cache), ``evaluation``.
"""
