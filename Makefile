run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

fmt:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

demo:
	DEBUG=true .venv/bin/python manage.py demo

worker:
	.venv/bin/celery -A mentorat worker -l info

beat:
	.venv/bin/celery -A mentorat beat -l info

.PHONY: run test fmt demo worker beat
