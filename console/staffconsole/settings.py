"""Settings for the staff console.

Everything deployment-specific comes from the environment (see console/README.md).
The console shares Rasa's database: its own tables are created by Django migrations,
Rasa's `events` table and the action server's `handoff_requests` table are only mapped
as unmanaged models.
"""
import datetime
import os
import secrets
from pathlib import Path

import dj_database_url

CONSOLE_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = CONSOLE_DIR.parent
VAR_DIR = REPO_ROOT / "var"
REPORTS_DIR = REPO_ROOT / "reports"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def env_list(name: str, default: str) -> list:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def load_secret_key() -> str:
    """DJANGO_SECRET_KEY from env; for development, one generated key kept in var/ (0600)."""
    from_env = os.environ.get("DJANGO_SECRET_KEY", "").strip()
    if from_env:
        return from_env
    key_file = VAR_DIR / "console_secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: two workers starting together must not overwrite each other's key.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


SQLITE_BUSY_TIMEOUT_SECONDS = 20


def database_from_url(url: str) -> dict:
    """Parse the SQLAlchemy-style DATABASE_URL that Rasa also uses.

    SQLAlchemy allows a driver suffix (postgresql+psycopg2://) that dj-database-url does not,
    and relative SQLite paths are relative to the repository root (where Rasa runs).
    """
    scheme, sep, rest = url.partition("://")
    scheme = scheme.split("+", 1)[0]
    if scheme == "postgres":
        scheme = "postgresql"
    config = dj_database_url.parse(f"{scheme}{sep}{rest}", conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        name = str(config.get("NAME") or "")
        if name and name != ":memory:" and not os.path.isabs(name):
            config["NAME"] = str(REPO_ROOT / name)
        if config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # Rasa writes to the same file while staff work. Every transaction takes the write
        # lock when it begins (IMMEDIATE), so the busy timeout applies: a deferred transaction
        # that reads first and writes later gets "database is locked" at once, without waiting.
        # WAL lets the list read while Rasa writes (the mode is kept in the file).
        config.setdefault("OPTIONS", {}).update({
            "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        })
        config["CONN_MAX_AGE"] = 0
    return config


SECRET_KEY = load_secret_key()
DEBUG = env_bool("CONSOLE_DEBUG", False)
ALLOWED_HOSTS = env_list("CONSOLE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CONSOLE_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "staffconsole.apps.ConsoleAdminConfig",  # the admin, with the dashboard on its home page
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "accounts",
    "audit",
    "conversations",
    "handoffs",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "staffconsole.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

# Login lockout (django-axes): after CONSOLE_LOGIN_FAILURE_LIMIT wrong passwords
# for one username from one address, logins for that pair are refused for
# CONSOLE_LOGIN_LOCKOUT_MINUTES, even with the right password. Attempts are kept
# in the database, so every gunicorn worker sees them. A success resets the count;
# `manage.py axes_reset_username NAME` lifts a lockout early.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "staffconsole.urls"
WSGI_APPLICATION = "staffconsole.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip() or "sqlite:///var/rasa.db"
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

def center_settings() -> dict:
    """The `center` section of center.yml with its environment overrides (one reader: actions.center)."""
    import sys

    if str(REPO_ROOT) not in sys.path:
        sys.path.append(str(REPO_ROOT))
    from actions.center import load_settings

    return dict(load_settings().get("center") or {})


CENTER = center_settings()
LANGUAGE_CODE = "en-us"
# Times are shown, and "today" filters cut days, in the center's time zone (center.yml).
TIME_ZONE = os.environ.get("CONSOLE_TIME_ZONE", "").strip() or str(CENTER.get("timezone") or "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"

# Admin CSS/JS are served straight from the installed apps: no collectstatic step needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "admin:login"

AXES_FAILURE_LIMIT = env_int("CONSOLE_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("CONSOLE_LOGIN_LOCKOUT_MINUTES", 15)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_COOLOFF_MESSAGE = (
    f"Too many wrong passwords: this login is locked for {LOGIN_LOCKOUT_MINUTES} minutes. "
    "A console administrator can lift the lock sooner."
)

# Sessions: expire after inactivity (the cookie age is renewed on every request) and on browser close.
SESSION_COOKIE_AGE = env_int("CONSOLE_SESSION_IDLE_MINUTES", 15) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_NAME = "console_sessionid"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_NAME = "console_csrftoken"

# Behind a TLS-terminating proxy (see README): secure cookies, HSTS, trust X-Forwarded-Proto.
BEHIND_TLS_PROXY = env_bool("CONSOLE_BEHIND_TLS_PROXY", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("CONSOLE_SECURE_COOKIES", BEHIND_TLS_PROXY)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Console behaviour.
LOW_CONFIDENCE_THRESHOLD = env_float("CONSOLE_LOW_CONFIDENCE", 0.5)
CONVERSATION_RETENTION_DAYS = env_int("CONSOLE_RETENTION_DAYS", 365)
HANDOFF_RETENTION_DAYS = env_int("CONSOLE_HANDOFF_RETENTION_DAYS", 730)
# The summary fold (sync_conversations): events per short transaction, and the pause
# between passes of `sync_conversations --every`.
SYNC_BATCH_EVENTS = env_int("CONSOLE_SYNC_BATCH_EVENTS", 500)
SYNC_INTERVAL_SECONDS = env_float("CONSOLE_SYNC_INTERVAL_SECONDS", 10)
# Public numbers the bot itself gives out, and the center's own: not personal data, so
# exports keep them.
CENTER_PHONE = str(CENTER.get("phone") or "")
REDACTION_ALLOWED_NUMBERS = env_list("CONSOLE_REDACTION_ALLOWED_NUMBERS", "18006624357,911,988") + (
    [CENTER_PHONE] if CENTER_PHONE else [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Request logs carry only method, path and status: never message text or contact details.
    "root": {"handlers": ["console"], "level": os.environ.get("CONSOLE_LOG_LEVEL", "WARNING")},
}
