# One image for web, worker, beat and the one-off migrate service (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Exactly the locked versions, each file checked against its hash (the lock also holds the test
# and benchmark tools: one resolution for every use, so the image runs the tests too).
COPY requirements.lock .
RUN pip install --require-hashes -r requirements.lock

COPY . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --create-home --uid 10001 newsroom
USER newsroom

EXPOSE 8000
CMD ["gunicorn", "newsroom.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
