FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The lock file pins every package with its hashes: each build installs the same bytes, and nothing else
# (--no-deps: the lock is complete; pip resolving would weigh releases newer than the lock).
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --no-deps --require-hashes -r requirements/base.txt
COPY . .
# collectstatic with DEBUG off, as the site runs: whitenoise's manifest is written only then.
RUN DEBUG=true python manage.py compilemessages --ignore=.venv -v 0 \
 && DEBUG=false SECRET_KEY=construction-de-l-image-seulement-pas-un-secret ALLOWED_HOSTS=localhost EMAIL_URL=smtp://localhost \
    python manage.py collectstatic --noinput -v 0

RUN useradd --create-home mentorat
USER mentorat
EXPOSE 8000
# gunicorn.conf.py: bind, workers, no access log, personal links blanked in the logs, no Server header.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "mentorat.wsgi:application"]
