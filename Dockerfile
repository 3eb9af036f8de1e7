# Production image: PostgreSQL via DATABASE_URL, files under /data (mount a volume).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/dvc-gateway
# The runtime lock first (its own layer): every package pinned and checked against its hash.
COPY requirements/runtime.txt ./requirements/runtime.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/runtime.txt
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
# Editable on purpose: app/migrate.py finds alembic.ini and migrations/ beside the app package,
# which a wheel in site-packages would not have. --no-deps: the lock installed them all.
RUN pip install --no-cache-dir --no-deps -e . \
    && pip check \
    && useradd --system --home /srv/dvc-gateway dvc \
    && mkdir -p /data && chown dvc /data
USER dvc
ENV STORAGE_URL=/data/files DATABASE_URL=sqlite:////data/dvc-gateway.db
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["dvc-gateway", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-access-log"]
