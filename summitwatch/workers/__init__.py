"""Workers mode: the pipeline's steps as procrastinate jobs on PostgreSQL, on any number of hosts.

``[runner] mode = "workers"`` replaces the embedded APScheduler loop by procrastinate, a job queue
kept in PostgreSQL: ``summitwatch worker`` processes (on one host or many, against one database)
take jobs, each job runs one step of ``summitwatch.pipeline`` for one id, and a periodic ``tick``
job turns what the database says is due into jobs. The modules:

- ``engine``: the procrastinate application (connector, queues, retry strategy, options);
- ``tasks``: the jobs, thin shells over the pipeline's steps, and the follow-ups they defer;
- ``scheduling``: the tick (due feeds, digests, deliveries, lost follow-ups, stalled jobs) and
  ``defer_unique``, which keeps at most one waiting-or-running job per queueing lock;
- ``schema``: procrastinate's tables, installed and upgraded by ``summitwatch db upgrade``;
- ``runner``: the worker process behind ``summitwatch worker`` (the commands themselves, with
  ``summitwatch jobs`` and ``summitwatch status``, are ``summitwatch.cli.workers``).
"""
