# SummitWatch entry points. `make run` and `make test` are the two set-up commands of the README:
# each creates .venv and installs the project when needed, from the lock files in requirements/
# (exact versions; `make lock` refreshes them from pyproject.toml). `make run` installs the
# product only; `make test` adds the test and lint tools.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed-test

.PHONY: run demo test lint format lock bench bench-collect bench-store bench-classify bench-digest bench-review bench-reviews-help bench-workers browser clean

$(VENV)/bin/python:
	$(PY) -m venv $(VENV)

$(RUN_STAMP): requirements/run.lock pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements/run.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(RUN_STAMP)

$(STAMP): requirements/test.lock pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements/test.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(RUN_STAMP) $(STAMP)

# Resolve pyproject.toml's ranges to exact versions for Python 3.11 (uv runs from a throwaway
# environment; it is never a dependency of the project).
lock:
	test -x $(VENV)/lock/bin/uv || { $(PY) -m venv $(VENV)/lock && $(VENV)/lock/bin/pip install --quiet uv; }
	$(VENV)/lock/bin/uv pip compile pyproject.toml --python-version 3.11 --no-header --quiet -o requirements/run.lock
	$(VENV)/lock/bin/uv pip compile pyproject.toml --extra test --python-version 3.11 --no-header --quiet -o requirements/test.lock

run demo: $(RUN_STAMP)
	$(BIN)/summitwatch demo

# Chromium for the browser tests comes from Debian's packages (browsers cannot be downloaded).
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null; \
	  else echo "chromium missing: browser tests will be skipped (apt-get install chromium chromium-driver)"; fi; }

test: $(STAMP) browser
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy collectors classifier alerts summitwatch

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: bench-collect bench-store bench-classify bench-digest bench-review

# the collector alone on 1,000 feeds, then `summitwatch run --once` against rss2email 3.14 (in
# .venv/bench-rss2email, never a project dependency) on the same 500-feed farm
bench-collect: $(STAMP)
	$(BIN)/python bench/bench_collect.py --feeds 1000
	$(BIN)/python bench/bench_vs_rss2email.py --feeds 500 --hosts 50

# storing 500 feeds x 20 new items, one feed per transaction and 50; PostgreSQL too when
# BENCH_DATABASE_URL names a database it may wipe
bench-store: $(STAMP)
	$(BIN)/python bench/bench_store.py

bench-classify: $(STAMP)
	$(BIN)/python bench/bench_classify.py

bench-digest: $(STAMP)
	$(BIN)/python bench/bench_digest.py

bench-review: $(STAMP)
	$(BIN)/python bench/bench_review.py --items 100000

# workers mode on PostgreSQL: 10,000 feeds by 1, 2 and 4 worker processes. Needs a PostgreSQL
# server; BENCH_DATABASE_URL names the database it drops and creates (default: summitwatch_bench
# on 127.0.0.1 as postgres).
bench-workers: $(STAMP)
	$(BIN)/python bench/bench_workers.py --feeds 10000 --workers 1,2,4

# does learning from reviews help? needs a labelled file, e.g. LABELS=../shared/corpus/dev.jsonl
bench-reviews-help: $(STAMP)
	$(BIN)/python bench/review_experiment.py $(LABELS)

clean:
	rm -rf $(VENV) demo-run .pytest_cache .mypy_cache .ruff_cache
