run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

fmt:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

demo:
	DEBUG=true COURRIELS_FICHIER=courriels.txt .venv/bin/python manage.py demo

# Every page under load (gunicorn -w 2, wrk -c16) beside a bare Django view, at national scale, then the exports
# (README, "Benchmarks"); `make bench ARGS="--duree 8s --tours 5"`.
bench:
	@bash scripts/bench.sh $(ARGS)

worker:
	.venv/bin/celery -A mentorat worker -l info

beat:
	.venv/bin/celery -A mentorat beat -l info

# Pins every dependency with its hashes, within pyproject.toml's ranges (see README, "Dependencies").
# `make lock` keeps the current pins where they still fit; `make lock ARGS=--upgrade` takes the latest.
lock:
	.venv/bin/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes $(ARGS) \
		-q -o requirements/base.txt
	.venv/bin/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 --generate-hashes $(ARGS) \
		-q -c requirements/base.txt -o requirements/test.txt

# Backups of the PostgreSQL database (README, "Backups"): a custom-format dump (pg_dump -Fc) named after its UTC
# time, in $(SAUVEGARDES); `make restore FICHIER=…` loads one into DATABASE_URL's database, replacing its tables,
# in one transaction (an error leaves the base as it was). Both read DATABASE_URL from the environment.
SAUVEGARDES ?= sauvegardes

backup:
	@mkdir -p "$(SAUVEGARDES)"
	pg_dump --format=custom --no-owner --no-acl --dbname="$${DATABASE_URL:?DATABASE_URL est obligatoire}" \
		--file="$(SAUVEGARDES)/mentorat-$$(date -u +%Y%m%dT%H%M%SZ).dump"

restore:
	pg_restore --clean --if-exists --no-owner --no-acl --single-transaction --exit-on-error \
		--dbname="$${DATABASE_URL:?DATABASE_URL est obligatoire}" "$${FICHIER:?FICHIER=chemin/de/la/sauvegarde.dump}"

.PHONY: run test fmt demo bench worker beat lock backup restore
