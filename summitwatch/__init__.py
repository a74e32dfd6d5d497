"""SummitWatch application package: wires the collectors, the classifier and the alerts.

It holds the CLI, the settings, the storage, the pipeline, the scheduler and the web review UI;
the leaf packages ``collectors``, ``classifier`` and ``alerts`` know nothing of it.
"""

__version__ = "0.1.0"
