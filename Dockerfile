# syntax=docker/dockerfile:1
# kratom_info in one image: gunicorn serves the site, and the same image runs the release step
# (python manage.py migrate) and every other management command. See README, "Production".
ARG PYTHON_VERSION=3.12

# Build stage: every dependency as a wheel, from pyproject.toml alone, so this layer is rebuilt
# only when the dependencies change (all of them ship binary wheels: no compiler needed).
FROM python:${PYTHON_VERSION}-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /build
COPY pyproject.toml .
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > requirements.txt \
    && pip wheel --wheel-dir /wheels --requirement requirements.txt \
    && cp requirements.txt /wheels/

# Runtime stage: the slim image, the wheels in a virtual environment, the project's files and
# its collected static files. No build tools, no dev dependencies, not root.
FROM python:${PYTHON_VERSION}-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    PORT=8000
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-index --find-links=/wheels --requirement /wheels/requirements.txt \
    && groupadd --system --gid 10001 kratom \
    && useradd --system --uid 10001 --gid kratom --no-create-home --home-dir /app --shell /usr/sbin/nologin kratom
WORKDIR /app
COPY manage.py gunicorn.conf.py ./
COPY kratom_info/ kratom_info/
COPY templates/ templates/
COPY static/ static/
COPY content/ content/
# Production settings refuse to load without a secret key and the site's address; this one
# command gets throwaway values (the key is random and never used again).
RUN DJANGO_DEBUG=0 DJANGO_ENV_FILE='' DJANGO_SITE_URL=https://build.invalid \
    DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput --verbosity 0
# Numeric, so orchestrators can verify the user is not root.
USER 10001:10001
EXPOSE 8000
# /healthz answers without the database, over plain http, whatever the Host (no curl in slim).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
CMD ["gunicorn", "--config", "gunicorn.conf.py", "kratom_info.wsgi"]
