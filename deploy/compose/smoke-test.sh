#!/usr/bin/env bash
# Compose smoke test, run by .ci/run where a Docker engine is available: the whole system from its
# images (deploy/docker/build-offline-images.sh), the user's flow through the public APIs, a crashed
# consumer restarted by compose and resuming from its stored state with exact numbers, then down.
# Needs docker, docker-compose (v1 or v2) and curl; uses the published ports 8080 and 8081.
set -euo pipefail
cd "$(dirname "$0")/../.."

project="northstar-smoke"
files=(-f deploy/compose/docker-compose.yml -f deploy/compose/docker-compose.offline.yml)
if command -v docker-compose >/dev/null 2>&1; then compose_cmd=(docker-compose); else compose_cmd=(docker compose); fi
compose() { "${compose_cmd[@]}" -p "$project" "${files[@]}" "$@"; }
logs="deploy/compose/target/smoke-test-logs.txt"
mkdir -p "$(dirname "$logs")"

# The stack's secrets, made the way a user makes them (secrets.sh), in a file of this run.
secrets="deploy/compose/target/smoke-secrets.env"
rm -f "$secrets"
deploy/compose/secrets.sh "$secrets" > /dev/null
set -a
. "$secrets"
set +a
ingest="http://localhost:8081"
insights="http://localhost:8080"

finish() {
  status=$?
  compose logs --no-color > "$logs" 2>&1 || true
  compose down -v --remove-orphans > /dev/null 2>&1 || true
  if [ "$status" -ne 0 ]; then echo "Compose smoke test FAILED; the services' logs are in $logs" >&2; fi
}
trap finish EXIT

fail() { echo "smoke test: $*" >&2; exit 1; }

# Waits until every long-running container of the project is running and healthy, and the one-shot
# steps ("kafka-tls", "topics") have exited with status 0.
one_shot='^(kafka-tls|topics) '
await_healthy() {
  local deadline=$((SECONDS + $1)) expected
  expected="$(compose config --services | grep -cvE '^(kafka-tls|topics)$')"
  while [ "$SECONDS" -lt "$deadline" ]; do
    local states steps
    states="$(docker ps -a --filter "label=com.docker.compose.project=$project" \
      --format '{{.Label "com.docker.compose.service"}} {{.Status}}')"
    steps="$(grep -E "$one_shot" <<< "$states" || true)"
    if grep -E ' Exited \([1-9][0-9]*\)' <<< "$steps" > /dev/null; then
      compose logs --no-color kafka-tls topics >&2
      fail "a one-shot step failed: $steps"
    fi
    states="$(grep -vE "$one_shot" <<< "$states" || true)"
    if [ "$(echo "$states" | grep -c .)" -eq "$expected" ] && ! echo "$states" | grep -qv '(healthy)'; then
      return 0
    fi
    sleep 2
  done
  docker ps -a --filter "label=com.docker.compose.project=$project" --format '{{.Names}}: {{.Status}}' >&2
  fail "the stack was not healthy within $1 s"
}

# Kafka's ConfigCommand inside the Kafka container (kafka-configs.sh in the official image; the same class
# from the offline image's jars) as the client whose properties file /tmp/<name>.properties holds (or
# none), given at most 30 s.
kafka_container() {
  docker ps -q --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=kafka"
}
client_properties() { # name mechanism login-module user password
  docker exec -i "$(kafka_container)" sh -c "cat > /tmp/$1.properties" <<EOF2
security.protocol=SASL_SSL
sasl.mechanism=$2
sasl.jaas.config=$3 required username="$4" password="$5";
ssl.truststore.type=PEM
ssl.truststore.location=/etc/kafka/ca/kafka.crt
EOF2
}
config_command() { # name|"" args...
  local name="$1"
  shift
  docker exec "$(kafka_container)" timeout 30 sh -c 'if [ -x /opt/kafka/bin/kafka-configs.sh ]; then exec /opt/kafka/bin/kafka-configs.sh "$@"; else exec java -cp "/opt/kafka/libs/*" kafka.admin.ConfigCommand "$@"; fi' \
    kafka-configs --bootstrap-server localhost:9092 ${name:+--command-config /tmp/$name.properties} "$@" 2>&1
}
kafka_configs() {
  config_command admin --describe --all "$@"
}

assert_config() { # entity-type entity-name key value
  local live
  live="$(kafka_configs --entity-type "$1" --entity-name "$2")"
  echo "$live" | grep -qE "(^|[[:space:]])$3=$4([[:space:]]|$)" \
    || fail "$1 $2: expected $3=$4; live: $(echo "$live" | grep -oE "(^|[[:space:]])$3=[^[:space:]]*" | head -1)"
}

# Polls the features of project "smoke" until the answer contains $1.
await_features() {
  local deadline=$((SECONDS + 60)) body=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    body="$(curl -s "$insights/v1/projects/smoke/features" -H "Authorization: Bearer $read_key" || true)"
    if echo "$body" | grep -qF "$1"; then
      return 0
    fi
    sleep 1
  done
  fail "features never showed $1; last answer: $body"
}

post_events() {
  local answer
  answer="$(curl -s -w ' %{http_code}' -X POST "$ingest/v1/events" -H "Authorization: Bearer $write_key" \
    -H 'Content-Type: application/json' -d "{\"events\":[$1]}")"
  echo "$answer" | grep -q ' 202$' || fail "events not accepted: $answer"
}

event() { # id user feature
  echo "{\"eventId\":\"$1\",\"type\":\"feature_used\",\"userId\":\"$2\",\"feature\":\"$3\",\"occurredAt\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}"
}

echo "Compose smoke test: starting the stack from the images ..."
compose up -d
await_healthy 180

# The topics as declared, read live from the broker: no topic created on first use, the registry
# compacted, events kept forever, dead letters a month.
client_properties admin PLAIN org.apache.kafka.common.security.plain.PlainLoginModule admin "$NORTHSTAR_KAFKA_ADMIN_PASSWORD"
assert_config brokers 1 auto.create.topics.enable false
assert_config brokers 1 authorizer.class.name org.apache.kafka.metadata.authorizer.StandardAuthorizer
assert_config topics northstar.projects.v1 cleanup.policy compact
assert_config topics northstar.projects.v1 min.cleanable.dirty.ratio 0.1
assert_config topics northstar.feature-adoption.v2 cleanup.policy compact
assert_config topics northstar.events.v2 cleanup.policy delete
assert_config topics northstar.events.v2 retention.ms -1
assert_config topics northstar.dead-letter.v1 retention.ms 2592000000
echo "Compose smoke test: topics as declared (checked inside the Kafka container)"
# Each service is its own principal with only its ACLs: adoption may describe its snapshot topic, not
# the projects (the write keys' hashes); a client without credentials gets nothing.
client_properties adoption SCRAM-SHA-512 org.apache.kafka.common.security.scram.ScramLoginModule \
  northstar-adoption "$NORTHSTAR_KAFKA_ADOPTION_PASSWORD"
own="$(config_command adoption --describe --all --entity-type topics --entity-name northstar.feature-adoption.v2 || true)"
grep -q "cleanup.policy=compact" <<< "$own" || fail "adoption could not describe its own snapshot topic: $own"
# Refused by its ACLs: "not authorized", or the topic is not even shown to it.
other="$(config_command adoption --describe --all --entity-type topics --entity-name northstar.projects.v1 || true)"
! grep -q "cleanup.policy=" <<< "$other" || fail "adoption described the projects topic: $other"
grep -qiE "authoriz|doesn't exist|does not exist" <<< "$other" || fail "adoption was refused the projects topic, but not by an ACL: $other"
# Nothing without an ACL (allow.everyone.if.no.acl.found=false): no principal has one on the cluster's settings.
other="$(config_command adoption --describe --all --entity-type brokers --entity-name 1 || true)"
! grep -q "auto.create.topics.enable=" <<< "$other" || fail "adoption described the broker's settings: $other"
grep -qi "authoriz" <<< "$other" || fail "adoption was refused the broker's settings, but not by an ACL: $other"
docker exec -i "$(kafka_container)" sh -c 'cat > /tmp/anonymous.properties' <<< "default.api.timeout.ms=8000"
anonymous="$(config_command anonymous --describe --all --entity-type topics --entity-name northstar.events.v2 || true)"
! grep -q "retention.ms=" <<< "$anonymous" || fail "a client without credentials described the events topic: $anonymous"
echo "Compose smoke test: Kafka takes TLS + SASL only, each service has its own principal and ACLs"

created="$(curl -s -X POST "$ingest/v1/admin/projects" -H "Authorization: Bearer $NORTHSTAR_ADMIN_TOKEN" \
  -H 'Content-Type: application/json' -d '{"projectId":"smoke","name":"Smoke test"}')"
write_key="$(echo "$created" | sed -n 's/.*"writeKey":"\([^"]*\)".*/\1/p')"
read_key="$(echo "$created" | sed -n 's/.*"readKey":"\([^"]*\)".*/\1/p')"
[ -n "$write_key" ] && [ -n "$read_key" ] || fail "project not created: $created"

post_events "$(event s-1 u-1 export),$(event s-2 u-2 export),$(event s-3 u-1 search)"
await_features '"feature":"export","uses":2,"users":{"d7":2,"d28":2,"all":2}'
echo "Compose smoke test: flow OK (project created, events accepted, features served)"
# /q/* (health, metrics, OpenAPI) only on the management port, which compose does not publish.
for path in /q/health/ready /q/metrics /q/openapi; do
  for url in "$ingest" "$insights"; do
    code="$(curl -s -o /dev/null -w '%{http_code}' "$url$path")"
    [ "$code" = "404" ] || fail "$url$path answered $code on the public port; /q/* belongs on the management port"
  done
done
adoption_health="$(docker exec "$(docker ps -q --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=adoption")" \
  bash -c 'exec 3<>/dev/tcp/127.0.0.1/9000 && printf "GET /q/health/ready HTTP/1.0\r\n\r\n" >&3 && cat <&3')"
grep -q '"status": "UP"' <<< "$adoption_health" || fail "adoption's management port did not answer: $adoption_health"
echo "Compose smoke test: /q/* is served on the management port only"

# A crash: kill -9 the adoption service's process; compose's restart policy brings it back.
container="$(docker ps -q --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=adoption")"
# First let it save its state (every northstar.store.snapshot-interval, 10 s): the named volume keeps it.
deadline=$((SECONDS + 60))
until [ -n "$(docker exec "$container" sh -c 'ls /data' 2>/dev/null)" ]; do
  [ "$SECONDS" -lt "$deadline" ] || fail "adoption saved no state under /data within 60 s"
  sleep 1
done
kill -9 "$(docker inspect -f '{{.State.Pid}}' "$container")"
deadline=$((SECONDS + 60))
until [ "$(docker inspect -f '{{.RestartCount}}' "$container")" -ge 1 ]; do
  [ "$SECONDS" -lt "$deadline" ] || fail "adoption was not restarted after kill -9"
  sleep 1
done
await_healthy 120

# One new user, and a duplicate of an event counted before the crash: exact numbers after the restart.
post_events "$(event s-4 u-3 export),$(event s-1 u-1 export)"
await_features '"feature":"export","uses":3,"users":{"d7":3,"d28":3,"all":3}'
# (Read whole first: grep -q on a pipe would close it early and fail the pipeline under pipefail.)
adoption_logs="$(docker logs "$container" 2>&1)"
grep -q "state restored, resuming at offset" <<< "$adoption_logs" \
  || fail "adoption did not resume from its stored state"
echo "Compose smoke test: OK (adoption killed -9, restarted by compose, resumed from its json state, exact)"
