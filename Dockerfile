# The app image: web (uvicorn via `manage.py serve`), Celery worker and beat all run from it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# gettext compiles the translations at build time; WeasyPrint draws PDF files with Pango.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/app app

WORKDIR /app
COPY . .
# The secret key here only lets the production settings load for the build steps.
RUN pip install . \
    && export DJANGO_SECRET_KEY=build-only-not-used-at-run-time \
    && if [ -d locale ]; then python manage.py compilemessages -v0; fi \
    && python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/media \
    && chown -R app:app /app/media

USER app
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && exec python manage.py serve --host 0.0.0.0 --port 8000"]
