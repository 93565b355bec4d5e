#!/usr/bin/env bash
# Makes the secrets the compose stack reads from its environment, once: a long random value for the
# admin token, the key that seals webhook secrets, the Kafka admin, the broker's TLS key store and each service's Kafka user, written to
# deploy/compose/secrets.env (or the file given) readable by you only, and never overwritten (the
# broker's key store and the Kafka users keep the first values). Load it before `compose up`:
#   deploy/compose/secrets.sh && set -a && . deploy/compose/secrets.env && set +a
set -euo pipefail
file="${1:-$(dirname "$0")/secrets.env}"
if [ -e "$file" ]; then
  echo "$file exists; keeping it (delete it and the compose volumes to start over)" >&2
  exit 0
fi
random() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
umask 077
{
  echo "# Northstar compose secrets, made $(date -u +%Y-%m-%dT%H:%M:%SZ). Keep out of version control."
  echo "NORTHSTAR_ADMIN_TOKEN=$(random)"
  echo "NORTHSTAR_WEBHOOK_SECRETS_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
  echo "NORTHSTAR_KAFKA_ADMIN_PASSWORD=$(random)"
  echo "NORTHSTAR_KAFKA_TLS_PASSWORD=$(random)"
  for service in INGEST ADOPTION FRICTION FEEDBACK INSIGHTS NOTIFIER; do
    echo "NORTHSTAR_KAFKA_${service}_PASSWORD=$(random)"
  done
} > "$file"
echo "wrote $file"
