# Newsroom: `make run` sets everything up and serves on http://127.0.0.1:8000; `make test` tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEEDS ?= ../shared/seeds
HOST ?= 127.0.0.1:8000
DEMO ?= 1

.PHONY: run test lint venv lock lock-check migrate content serve worker beat clean

venv: $(VENV)/.installed

# Exactly what requirements.lock holds, each file checked against its hash, with the pip that
# Python ships (no upgrade first: the lock names every package, so no pip version resolves afresh).
$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

# requirements.lock from requirements.txt (runtime), -dev.txt and -bench.txt: one resolution for
# every Python from 3.11 (markers where they differ), hashes for every file. Run it after changing
# one of them; versions already locked are kept unless a requirement asks otherwise.
LOCK_COMPILE = pip compile requirements.txt requirements-dev.txt requirements-bench.txt --universal \
	--python-version 3.11 --generate-hashes --custom-compile-command "make lock" --quiet

lock:
	$(BIN)/uv $(LOCK_COMPILE) --output-file requirements.lock

# Fails when requirements*.txt ask for something the lock does not hold (CI runs it).
lock-check: venv
	@fresh=$$(mktemp) && cp requirements.lock $$fresh \
	  && $(BIN)/uv $(LOCK_COMPILE) --output-file $$fresh && diff -u requirements.lock $$fresh; \
	  status=$$?; rm -f $$fresh; [ $$status -eq 0 ] && echo "requirements.lock agrees with requirements*.txt"; exit $$status

migrate: venv
	$(BIN)/python manage.py migrate --noinput

# The knowledge base (with the curated timeline), the demo corpus through the real ingest
# pipeline (`make run DEMO=0` skips it), and the seed article when ../shared/seeds is there.
content: migrate
	$(BIN)/python manage.py load_knowledge_base
	@if [ "$(DEMO)" = "1" ]; then $(BIN)/python manage.py load_demo_content; else echo "DEMO=0: skipping the demo corpus"; fi
	@if [ -d "$(SEEDS)" ]; then $(BIN)/python manage.py ingest $(SEEDS)/*.txt; else echo "no $(SEEDS): skipping the seed article"; fi

serve: venv
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py runserver $(HOST)

run: content serve

lint: venv
	$(BIN)/ruff check .

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

# The full stack without Docker (see README): PostgreSQL and Redis from the environment.
worker: venv
	$(BIN)/celery -A newsroom worker --loglevel=INFO -Q process,fetch

beat: venv
	$(BIN)/celery -A newsroom beat --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache
