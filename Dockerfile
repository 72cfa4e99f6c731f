# kratom_info in one image: gunicorn serves the site, and the same image runs the release step
# (python manage.py migrate) and every other management command. See README, "Production".
#
# The base is Debian 13 "trixie", slim, pinned to a point release, with Debian's own python3
# (3.13, security updates from Debian). To move to a newer point release, change the tag here
# (README, "Updating the base image"). The tests build this file unchanged, with a locally made
# stand-in for this exact image (tests/container/).
ARG DEBIAN_IMAGE=debian:13.8-slim

# Build stage: the locked, hashed dependencies (requirements.lock, written by scripts/lock) in
# a virtual environment. Rebuilt only when the lock file changes; every dependency ships a
# binary wheel, so no compiler is needed.
FROM ${DEBIAN_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore
# Versions come from the pinned Debian release and its security updates.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install --yes --no-install-recommends python3 python3-venv \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.lock /tmp/requirements.lock
# Behind a TLS-inspecting proxy, pass its CA bundle for this step only (never stored in a
# layer): docker build --secret id=ca-certificates,src=/etc/ssl/certs/ca-certificates.crt .
RUN --mount=type=secret,id=ca-certificates \
    if [ -s /run/secrets/ca-certificates ]; then export PIP_CERT=/run/secrets/ca-certificates; fi \
    && python3 -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-deps --require-hashes --only-binary=:all: \
        --requirement /tmp/requirements.lock \
    && /opt/venv/bin/pip uninstall --yes pip

# Runtime stage: the same base with only Debian's python3, the virtual environment, the
# project's files byte-compiled and its static files collected. No pip, no build tools, not root.
FROM ${DEBIAN_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    PORT=8000
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install --yes --no-install-recommends python3 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 kratom \
    && useradd --system --uid 10001 --gid kratom --no-create-home --home-dir /app --shell /usr/sbin/nologin kratom
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY manage.py gunicorn.conf.py ./
COPY kratom_info/ kratom_info/
COPY locale/ locale/
COPY templates/ templates/
COPY static/ static/
COPY content/ content/
# Production settings refuse to load without a secret key and the site's address; this one
# command gets throwaway values (the key is random and never used again). Then every module is
# compiled here, since workers cannot write bytecode at start (PYTHONDONTWRITEBYTECODE, and a
# read-only root file system).
RUN DJANGO_DEBUG=0 DJANGO_ENV_FILE='' DJANGO_SITE_URL=https://build.invalid \
    DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput --verbosity 0 \
    && python -m compileall -q -j 0 /app/manage.py /app/gunicorn.conf.py /app/kratom_info
# Numeric, so orchestrators can verify the user is not root.
USER 10001:10001
EXPOSE 8000
# /healthz answers without the database, over plain http, whatever the Host (no curl here).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
CMD ["gunicorn", "--config", "gunicorn.conf.py", "kratom_info.wsgi"]
# Last, so a new commit changes only the image's metadata, never a cached layer.
ARG DEBIAN_IMAGE
ARG VERSION=0.1.0
ARG REVISION=unknown
# The repository's address: docker build --build-arg SOURCE=https://... (no default: a
# checkout does not know where it is published).
ARG SOURCE=
LABEL org.opencontainers.image.title="kratom_info" \
      org.opencontainers.image.description="Harm-reduction information about kratom" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${DEBIAN_IMAGE}"
