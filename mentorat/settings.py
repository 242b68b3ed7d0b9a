"""Mentorat's settings, read from the environment (see `.env.example`).

With no variable at all and DEBUG on, the application runs on its embedded defaults: a SQLite database,
Celery tasks run in-process, e-mails printed on the console (or written to COURRIELS_FICHIER).
"""

import datetime
import os
import sys
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Placeholder usable only while DEBUG is on: the check below refuses it otherwise.
_CLE_DE_DEVELOPPEMENT = "cle-de-developpement-ne-pas-utiliser-en-production"
SECRET_KEY = env.str("SECRET_KEY", default=_CLE_DE_DEVELOPPEMENT)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if not DEBUG and (SECRET_KEY == _CLE_DE_DEVELOPPEMENT or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY manquante ou trop courte (32 caractères au moins) : "
        "définissez-la dans l'environnement ou passez DEBUG=true en développement."
    )
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS est vide : indiquez le ou les noms de domaine du site "
        "(ex. ALLOWED_HOSTS=mentorat.example.fr) ou passez DEBUG=true en développement."
    )

HEBERGEUR = env.str(
    "HEBERGEUR",
    default="Centre national de gestion, 21 rue Leblanc, 75737 Paris Cedex 15 (serveurs hébergés en France).",
)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "mentorat",
    "candidatures",
    "binomes",
    "suivi",
    "evaluation",
    "rgpd",
    "dsfr",
    "crispy_forms",
    "widget_tweaks",
    "import_export",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "mentorat.apps.ComiteAdminConfig",  # django.contrib.admin, on the committee's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise: static files keep their long cache; every page of the application gets these headers.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "mentorat.middleware.PagesNonConserveesMiddleware",
    # Before anything reads the query string: a NUL byte or an absurd date is a 400, not a database error.
    "mentorat.middleware.EntreesIllisiblesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's, taking the session's second factor from the account's read (`mentorat.authentification`).
    "mentorat.authentification.SecondFacteurDuCompte",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mentorat.middleware.SessionDuComiteMiddleware",
    "mentorat.middleware.SecondFacteurMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentorat.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentorat.context_processors.site",
            ],
            # `date_fr` in every template: French dates write the first of the month "1er".
            "builtins": ["mentorat.templatetags.dates_fr"],
        },
    },
]
# Project templates first, then django-dsfr's versions of Django's widgets.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "mentorat.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'mentorat.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Each gunicorn worker keeps its connection between requests (opening one costs more than most pages' queries),
# checked before reuse so that a restarted PostgreSQL costs one failed check, not an error page. 0 closes it after
# each request, as Django does by default.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: on these short queries PostgreSQL's cost estimate can switch it on and spend more
    # compiling than running (461 of the dashboard's 830 ms once, before its query was rewritten).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "mentorat.Utilisateur"
AUTHENTICATION_BACKENDS = [
    # First, as django-axes requires: refuses any sign-in while the account or the address is locked out.
    "axes.backends.AxesStandaloneBackend",
    # Django's, reading the signed-in account with its groups in one query (`mentorat.authentification`).
    "mentorat.authentification.ComptesEtGroupes",
    # Answers only ProConnect's callback, and only when ProConnect is configured (mentorat.proconnect).
    "mentorat.proconnect.ProConnectBackend",
]
LOGIN_URL = "login"
# Each persona lands where their work is (`mentorat.views.arrivee`).
LOGIN_REDIRECT_URL = "arrivee"
LOGOUT_REDIRECT_URL = "accueil"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or "pytest" in sys.modules
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Committee sessions end at browser close and after this many seconds without a request (mentorat.middleware);
# candidates keep Django's usual two weeks.
COMITE_SESSION_INACTIVITE = env.int("COMITE_SESSION_INACTIVITE", default=2 * 60 * 60)

# Second factor of committee accounts (django-otp): the issuer shown in the authenticator application.
OTP_TOTP_ISSUER = "Mentorat CNG"
OTP_TOTP_CHIFFRES = 6
# The admin of django-otp's devices (superusers only) never shows a secret key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sign-in lockout (django-axes), on the site's and the admin's sign-in pages alike: after CONNEXION_ECHECS_MAX
# failures, the account (whatever address tries it) and the address (whatever account it tries) are locked for
# CONNEXION_BLOCAGE_MINUTES. The same page answers for an address that has no account.
AXES_FAILURE_LIMIT = env.int("CONNEXION_ECHECS_MAX", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("CONNEXION_BLOCAGE_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "mentorat.limites.identifiant_de_connexion"
AXES_CLIENT_IP_CALLABLE = "mentorat.limites.adresse_client"
AXES_LOCKOUT_CALLABLE = "mentorat.views.connexion_bloquee"
# Successful sign-ins are in the audit journal (committee) and nowhere else: axes keeps failures only.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Number of reverse proxies in front of the application that append to X-Forwarded-For (docker-compose: 1).
PROXYS_DE_CONFIANCE = env.int("PROXYS_DE_CONFIANCE", default=0)

# Forms that mail someone or create an account (password reset, new confirmation link, application form):
# at most this many requests per e-mail address and per client address, e.g. "3/h", "20/j", "5/15m".
LIMITE_PAR_ADRESSE = env.str("LIMITE_PAR_ADRESSE", default="3/h")
LIMITE_PAR_CLIENT = env.str("LIMITE_PAR_CLIENT", default="20/h")
# Where those counters live: local memory by default (one process), Redis in production (CACHE_URL=redis://…).
# The same cache holds the fragments of public pages that are the same for every visitor (`mentorat.fragments`).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# With a cache shared by every process (Redis), a session is read from it (one GET) and from the database only when
# missing; written to both, so a sign-out or an expiry holds in every worker. The local-memory default is each
# process's own: a session signed out in one worker would live on in another's, so sessions stay in the database.
# So does a file cache (each machine's own) or the dummy one. Shared: Redis (Django's or django-redis's, which
# django-environ picks for redis:// when it is installed), Memcached, the database cache.
CACHES_PARTAGES = {"RedisCache", "PyMemcacheCache", "PyLibMCCache", "DatabaseCache"}
if CACHES["default"]["BACKEND"].rsplit(".", 1)[-1] in CACHES_PARTAGES:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's Redis cache, with one client per connection pool rather than one per call (`mentorat.cache_redis`).
    CACHES["default"]["BACKEND"] = "mentorat.cache_redis.CacheRedis"

# ProConnect (OpenID Connect, mozilla-django-oidc): off unless the three variables are set. The endpoints come from
# the provider's discovery document (mentorat.proconnect).
PROCONNECT_URL = env.str("PROCONNECT_URL", default="").rstrip("/")
OIDC_RP_CLIENT_ID = env.str("PROCONNECT_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("PROCONNECT_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env.str("PROCONNECT_ALGORITHME", default="RS256")
OIDC_RP_SCOPES = "openid email given_name usual_name"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_CREATE_USER = False  # a ProConnect identity signs in to an existing account only, matched by verified e-mail
OIDC_STORE_ID_TOKEN = True  # for the logout at the provider
OIDC_AUTHENTICATION_CALLBACK_URL = "proconnect_retour"
OIDC_TIMEOUT = 10
# The provider's assurance levels that include a second factor: such a sign-in needs no code here.
PROCONNECT_ACR_DOUBLE_FACTEUR = env.list(
    "PROCONNECT_ACR_DOUBLE_FACTEUR",
    default=[
        "eidas2",
        "eidas3",
        "https://proconnect.gouv.fr/assurance/self-asserted-2fa",
        "https://proconnect.gouv.fr/assurance/consistency-checked-2fa",
    ],
)
if PROCONNECT_URL and not DEBUG and not PROCONNECT_URL.startswith("https://"):
    raise ImproperlyConfigured("PROCONNECT_URL doit commencer par https:// (l'adresse du fournisseur d'identité).")

SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only in production: plain HTTP is redirected, and browsers are told to remember it for a year.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # the containers' health checks speak plain HTTP inside the network
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Entering browsers' HSTS preload list commits the whole domain: the domain's owner decides, not this app.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# A form sent from an expired page: a French page saying that nothing was saved (mentorat.views).
CSRF_FAILURE_VIEW = "mentorat.views.formulaire_expire"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"


def _origine(url: str) -> str:
    decoupe = urlsplit(url)
    return f"{decoupe.scheme}://{decoupe.netloc}"


# Content-Security-Policy (django-csp): scripts, styles, fonts and images from the site itself only; no inline script,
# no style attribute, no event handler attribute in any template (tests/mentorat/test_entetes.py reads every page).
# Forms post to the site, and to ProConnect when configured (its sign-out form).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        # The origin, not the path: Chromium applies form-action to the redirect after the post.
        "form-action": [SELF, *([_origine(PROCONNECT_URL)] if PROCONNECT_URL else [])],
    }
}
# Permissions-Policy (django-permissions-policy): no page uses any of these browser features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    fonctionnalite: []
    for fonctionnalite in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# E-mail: an SMTP server (required when DEBUG is off); in development, the console by default, or a readable file
# if asked (`make run` writes them to courriels.txt).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
COURRIELS_FICHIER = env.str("COURRIELS_FICHIER", default="")
if COURRIELS_FICHIER and DEBUG:
    EMAIL_BACKEND = "mentorat.emails.FichierLisible"
# In production every e-mail must leave for real: the console, a file or memory would keep password-reset links
# and questionnaire tokens in logs or on disk, and a dummy backend would silently send nothing.
BACKENDS_DE_DEVELOPPEMENT = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "mentorat.emails.FichierLisible",
)
if not DEBUG and EMAIL_CONFIG["EMAIL_BACKEND"] in BACKENDS_DE_DEVELOPPEMENT:
    raise ImproperlyConfigured(
        "EMAIL_URL ne désigne pas un serveur SMTP : avec DEBUG=false, les courriels (liens de réinitialisation, "
        "questionnaires) doivent partir par SMTP (ex. EMAIL_URL=smtp+tls://utilisateur:motdepasse@smtp.example.fr:587)."
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mentorat CNG <ne-pas-repondre@mentorat.example.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Each step of the SMTP conversation (connection, every command) waits this long at most: a server that
# accepts and never answers frees the worker's slot, and the e-mail is tried again later.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Who is told when an e-mail is given up: "Nom <adresse>" or addresses, comma-separated. Not the 500s: Django's
# error e-mail holds the request, whose path may carry a questionnaire token.
ADMINS = [parseaddr(adresse) for adresse in env.list("ADMINS", default=[])]

# The outbox (mentorat.courriels). A claimed row is held for COURRIELS_BAIL_SECONDES (longer than a task may
# last): after that, a row whose worker died is free for another. Temporary failures are tried again after
# 1, 2, 4… minutes, at most COURRIELS_RELANCE_MAX_SECONDES apart, for COURRIELS_DUREE_RELANCES_SECONDES
# from the first failure (24 hours at least); then the row is given up and shown on the dashboard.
COURRIELS_BAIL_SECONDES = env.int("COURRIELS_BAIL_SECONDES", default=600)
COURRIELS_RELANCE_MIN_SECONDES = env.int("COURRIELS_RELANCE_MIN_SECONDES", default=60)
COURRIELS_RELANCE_MAX_SECONDES = env.int("COURRIELS_RELANCE_MAX_SECONDES", default=3600)
COURRIELS_DUREE_RELANCES_SECONDES = env.int("COURRIELS_DUREE_RELANCES_SECONDES", default=48 * 3600)
COURRIELS_BALAYAGE_SECONDES = env.int("COURRIELS_BALAYAGE_SECONDES", default=120)
COURRIELS_LOT = env.int("COURRIELS_LOT", default=5000)
if COURRIELS_DUREE_RELANCES_SECONDES < 24 * 3600:
    raise ImproperlyConfigured("COURRIELS_DUREE_RELANCES_SECONDES : 24 heures (86400) au moins.")

# Celery: without a broker, tasks run in-process (quick start and unit tests).
_BROKER = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not _BROKER
# Eager tasks still open a producer: kombu's in-memory transport keeps it off the network.
CELERY_BROKER_URL = _BROKER or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged once done, and a task whose process died (SIGKILL, out of memory) goes back to the
# queue: its e-mail row is still held by its lease, so the new run leaves it to the sweep after the lease.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# No task outlives these (an SMTP server that never answers, a stuck query): the soft limit raises inside the
# task, the hard one kills its process. The outbox's lease is longer, so no row is sent twice by two tasks.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=4 * EMAIL_TIMEOUT)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=CELERY_TASK_SOFT_TIME_LIMIT + 60)
if COURRIELS_BAIL_SECONDES <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("COURRIELS_BAIL_SECONDES doit dépasser la durée maximale d'une tâche.")
# Redis redelivers a task not acknowledged within the visibility timeout. The longest countdown is a database
# retry's five minutes (mentorat.emails.TacheEnvoi; e-mail retries wait in the database, not in Redis): two hours
# keep every task, even one running to its time limit, far from being delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600, "socket_connect_timeout": 3}
# A request that enqueues while Redis is down gives up within about a second (the outbox's sweep sends later).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.3, "interval_max": 0.5}
RAPPELS_HEURE = env.int("RAPPELS_HEURE", default=8)
CELERY_BEAT_SCHEDULE = {
    "balayage-courriels": {
        "task": "mentorat.tasks.balayer_courriels",
        "schedule": datetime.timedelta(seconds=COURRIELS_BALAYAGE_SECONDES),
    },
    "resume-courriels-en-echec": {
        "task": "mentorat.tasks.resumer_les_echecs",
        "schedule": crontab(hour=RAPPELS_HEURE, minute=45),
    },
    "rappels-rencontres": {
        "task": "suivi.tasks.planifier_rappels",
        "schedule": crontab(hour=RAPPELS_HEURE, minute=0),
    },
    # Invitations to the collective times that begin within 45 days (suivi.evenements.inviter_aux_prochains).
    "invitations-temps-collectifs": {
        "task": "suivi.tasks.inviter_aux_temps_collectifs",
        "schedule": crontab(hour=RAPPELS_HEURE, minute=15),
    },
    "relances-questionnaires": {
        "task": "evaluation.tasks.planifier_envois",
        "schedule": crontab(hour=RAPPELS_HEURE, minute=30),
    },
    # Confirmed pairs whose launch day has come become active (binomes.services.activer_binomes).
    "activation-binomes": {"task": "binomes.tasks.activer_binomes", "schedule": crontab(hour=6, minute=0)},
    # What has reached the end of its retention period is listed for the pilot (rgpd.services.lister_expirations).
    "conservation-des-donnees": {"task": "rgpd.tasks.lister_expirations", "schedule": crontab(hour=5, minute=0)},
    # On the bilan day, the pairs still meeting finish their year (binomes.services.terminer_binomes).
    "fin-des-binomes": {"task": "binomes.tasks.terminer_binomes", "schedule": crontab(hour=6, minute=5)},
    # Exports still waiting for a worker are sent again, those whose worker stopped marked failed.
    "relance-exports": {
        "task": "suivi.tasks.relancer_exports",
        "schedule": datetime.timedelta(seconds=COURRIELS_BALAYAGE_SECONDES),
    },
    # Exports past their download period are deleted (suivi.services.supprimer_exports_expires).
    "exports-expires": {"task": "suivi.tasks.supprimer_exports_expires", "schedule": crontab(hour=4, minute=30)},
    # Pairs unconfirmed two weeks after the launch day are flagged to their referent.
    "binomes-non-confirmes": {"task": "binomes.tasks.signaler_non_confirmes", "schedule": crontab(hour=6, minute=10)},
}
# Large exports (suivi.Export) are produced by a Celery task, then downloadable this many hours.
EXPORTS_DUREE_HEURES = env.int("EXPORTS_DUREE_HEURES", default=24)
# A long PDF (a promotion's tracking tables) is laid out by this many processes side by side, one per core
# (mentorat.pdf); 1 lays every PDF out in its task's own process.
# The cores this process may run on (Linux); elsewhere (a newcomer's Mac has no sched_getaffinity), the machine's.
_COEURS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
PDF_PROCESSUS = env.int("PDF_PROCESSUS", default=_COEURS)
if PDF_PROCESSUS < 1:
    raise ImproperlyConfigured("PDF_PROCESSUS doit valoir au moins 1.")
# Without a broker (`make run`), the web process itself runs the daily jobs, at start then daily at
# RAPPELS_HEURE (mentorat.quotidien); scripts/run.sh sets it for the server only.
TACHES_QUOTIDIENNES = env.bool("TACHES_QUOTIDIENNES", default=False)

# Retention of personal data (rgpd.conservation), as the privacy page states it: applications that led to no pair,
# N years after the promotion's closing; participants of a pair, N years after the promotion's bilan day; the
# audit journal's entries, N days. What has reached its limit is listed each day; the pilot approves its
# anonymisation in the admin, unless PURGE_AUTOMATIQUE is on (a public body's records may need the archives
# service's approval first: approval is the default).
CONSERVATION_CANDIDATURES_ANNEES = env.int("CONSERVATION_CANDIDATURES_ANNEES", default=2)
CONSERVATION_PARTICIPANTS_ANNEES = env.int("CONSERVATION_PARTICIPANTS_ANNEES", default=2)
CONSERVATION_JOURNAL_JOURS = env.int("CONSERVATION_JOURNAL_JOURS", default=365)
PURGE_AUTOMATIQUE = env.bool("PURGE_AUTOMATIQUE", default=False)

CRISPY_ALLOWED_TEMPLATE_PACKS = ("crispy_dsfr",)
CRISPY_TEMPLATE_PACK = "crispy_dsfr"
CRISPY_FAIL_SILENTLY = not DEBUG
DSFR_MARK_OPTIONAL_FIELDS = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No log line keeps a personal link's token (questionnaire, calendar, confirmation, password reset): Django's
    # request logger prints the path of every 4xx and 5xx answer (mentorat.masquage; README, "What the logs keep").
    "filters": {
        "liens_personnels": {"()": "mentorat.masquage.MasqueLiensPersonnels"},
        "hors_debug": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["liens_personnels"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["hors_debug", "liens_personnels"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates each rendering step at INFO.
    # django-axes narrates each sign-in at INFO; its warnings (lockouts) remain.
    "loggers": {
        # Django's own default handlers (console while DEBUG, mail_admins) would print paths unfiltered: none,
        # its records go up to the root's filtered handler.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # An e-mail given up is an ERROR: it reaches ADMINS (the row is on the tracking dashboard too).
        "mentorat.courriels": {"handlers": ["console", "mail_admins"], "propagate": False},
    },
}

# Matching weights (binomes.appariement): their sum is the maximum score, 100.
APPARIEMENT_POIDS = {
    "themes": env.int("POIDS_THEMES", default=45),
    "corps": env.int("POIDS_CORPS", default=20),
    "distance": env.int("POIDS_DISTANCE", default=25),
    "modes": env.int("POIDS_MODES", default=10),
}
# Minimum group size below which an evaluation breakdown is hidden.
EVALUATION_SEUIL_GROUPE = env.int("EVALUATION_SEUIL_GROUPE", default=5)
EVALUATION_SEUIL_VERBATIM = env.int("EVALUATION_SEUIL_VERBATIM", default=10)
