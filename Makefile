# Newsroom: `make run` sets everything up and serves on http://127.0.0.1:8000; `make test` tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEEDS ?= ../shared/seeds
HOST ?= 127.0.0.1:8000
DEMO ?= 1

.PHONY: run test lint venv migrate content serve worker beat clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

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
