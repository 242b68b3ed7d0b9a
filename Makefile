run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

fmt:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

demo:
	DEBUG=true COURRIELS_FICHIER=courriels.txt .venv/bin/python manage.py demo

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

.PHONY: run test fmt demo worker beat lock
