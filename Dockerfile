# Practice Tracker image: gunicorn serving tracker:create_app() on port 8000.
# The entrypoint (docker/entrypoint.sh) waits for the database and migrates before serving.

# Front-end libraries (Chart.js and its matrix plugin) from the npm registry, as pinned in
# package-lock.json; only the vendored files reach the final image, not Node or node_modules.
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
COPY tools/vendor_static.sh tools/
RUN sh tools/vendor_static.sh

FROM python:3.11-slim

ENV TRACKER_ENV=production \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    INSTANCE_PATH=/app/instance

RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies and the package first, so editing templates or migrations reuses this layer.
# The editable install keeps the package at /app/tracker, next to /app/templates and
# /app/migrations, which create_app finds relative to the package's parent directory.
COPY setup.cfg pyproject.toml README.md ./
COPY tracker/ tracker/
RUN pip install --no-cache-dir -e .

COPY manage.py ./
COPY migrations/ migrations/
COPY templates/ templates/
COPY docker/ docker/
COPY --from=assets /app/tracker/static/vendor /app/tracker/static/vendor

# The same `flask build-static` as `make install`: hashed, brotli- and gzip-compressed copies
# of the static files in /app/build/static, served by WhiteNoise. The placeholder settings
# only satisfy create_app; nothing connects to them and no secret stays in the image.
RUN DATABASE_URL=postgresql://build@127.0.0.1:1/unused SECRET_KEY=unused \
    SECURITY_PASSWORD_SALT=unused flask --app manage build-static

# Named volumes mounted below /app/instance start as a copy of these directories (owner included).
RUN chmod 0755 /app/docker/entrypoint.sh \
    && mkdir -p /app/instance/uploads \
    && chown -R app:app /app/instance

USER app

EXPOSE 8000

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
