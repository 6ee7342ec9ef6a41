#!/usr/bin/env bash
# Install (if missing) and start a local PostgreSQL 15 for veille's store tests, create the role and
# database, and print the URL to export as VEILLE_TEST_POSTGRES_URL. Idempotent: safe to run twice.
# Usage:  eval "$(bash .ci/postgres.sh)"   (prints `export VEILLE_TEST_POSTGRES_URL=...` on stdout;
# progress goes to stderr). Needs root (CI and developer machines run as root).
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_USER="${PG_USER:-veille}"
PG_PASSWORD="${PG_PASSWORD:-veille}"
PG_DB="${PG_DB:-veille_test}"
PG_PORT="${PG_PORT:-5432}"

log() { echo "postgres.sh: $*" >&2; }

if [ ! -x "/usr/lib/postgresql/${PG_VERSION}/bin/postgres" ]; then
    log "installing postgresql-${PG_VERSION}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "postgresql-${PG_VERSION}" >&2 || apt-get install -y -qq postgresql >&2
fi

if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "${PG_VERSION} main"; then
    log "creating cluster ${PG_VERSION}/main"
    pg_createcluster "${PG_VERSION}" main --port "${PG_PORT}" >&2
fi

if ! pg_lsclusters -h | awk -v v="${PG_VERSION}" '$1==v && $2=="main" {print $4}' | grep -qx online; then
    log "starting cluster ${PG_VERSION}/main"
    pg_ctlcluster "${PG_VERSION}" main start >&2
fi

for _ in $(seq 1 30); do
    if su postgres -c "pg_isready -q -p ${PG_PORT}"; then break; fi
    sleep 1
done
su postgres -c "pg_isready -q -p ${PG_PORT}" || { log "server did not become ready"; exit 1; }

psql_admin() { su postgres -c "psql -p ${PG_PORT} -v ON_ERROR_STOP=1 -qAt -c \"$1\""; }

if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname='${PG_USER}'")" != "1" ]; then
    log "creating role ${PG_USER}"
    psql_admin "CREATE ROLE ${PG_USER} LOGIN PASSWORD '${PG_PASSWORD}' CREATEDB"
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname='${PG_DB}'")" != "1" ]; then
    log "creating database ${PG_DB}"
    psql_admin "CREATE DATABASE ${PG_DB} OWNER ${PG_USER}"
fi

echo "export VEILLE_TEST_POSTGRES_URL=postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${PG_PORT}/${PG_DB}"
