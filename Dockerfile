# Production image. Everything the service writes lives under /data (mount a volume there):
# the SQLite database if DATABASE_URL is left as it is, uploaded files, and the server keys.
# Set DATABASE_URL to PostgreSQL in production. .ci/container-check starts the same
# installation the same way (a non-root user, a read-only app) where no Docker engine runs.

# Build: the app's own wheel (the dependencies come from the lock in the next stage).
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# Run: the locked dependencies, each checked against its hash, then the app's wheel (not an
# editable install: the migrations travel inside the package).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY requirements/runtime.txt /tmp/runtime.txt
COPY --from=build /wheels /tmp/wheels
RUN pip install --no-cache-dir --require-hashes -r /tmp/runtime.txt \
    && pip install --no-cache-dir --no-deps /tmp/wheels/*.whl \
    && pip check \
    && rm -rf /tmp/runtime.txt /tmp/wheels \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin dvc \
    && mkdir -p /data && chown dvc /data
USER dvc
WORKDIR /data
VOLUME /data
# The data folder (app/config.py): the SQLite file /data/dvc-gateway.db, /data/files and
# /data/keys unless DATABASE_URL, STORAGE_URL or the key paths say otherwise.
ENV DATA_DIR=/data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]
CMD ["dvc-gateway", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-access-log"]
