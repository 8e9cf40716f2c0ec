#!/usr/bin/env bash
# The image test: builds the project's Dockerfile and runs the image and the compose stack as
# a user would, on Debian 12's own engine (docker.io 20.10) and compose (docker-compose 1.29).
#
#   sudo .ci/image-test.sh            (.ci/run calls it before the Maven tests)
#
# Docker Hub is not reachable here, so the base images the Dockerfile and docker-compose.yml
# name are made locally from Debian packages and tagged with those names:
#   debian:bookworm-slim            debootstrap --variant=minbase, slimmed like the real one
#   maven:3.9-eclipse-temurin-17    that + Debian's JDK 17 and Maven, with a prepared local
#                                   repository (the build stage runs offline)
#   eclipse-mosquitto:2             that + Debian's mosquitto, laid out like the real image
# Then: the demo in the container (online, wake and check answered, not root, healthy, the
# CLI in the container, a taken health port refused, docker stop publishes offline), and the
# compose stack following docs/install.md step by step. Every container uses the host's
# network on loopback or the engine's own bridge namespaces; nothing is sent beyond the
# machine. Sizes, memory and durations are printed at the end (docs/install.md quotes them).
#
# Exit 0 with "image-test: SKIPPED: ..." where no engine can run; non-zero when the image,
# the stack or the docs' steps are broken. Settings: CG_IMAGE_TEST_CACHE (default
# /var/cache/cubeguardian-image-test: the debootstrap tarball, kept for a week).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
stage_start=$(date +%s)

say() { printf 'image-test: %s\n' "$*"; }
fail() { printf 'image-test: FAILED: %s\n' "$*" >&2; exit 1; }
skip() { say "SKIPPED: $*"; exit 0; }
elapsed() { echo $(( $(date +%s) - stage_start )); }
checks=0
ok() { checks=$((checks + 1)); say "ok $checks - $*"; }

[ "$(id -u)" = 0 ] || skip "needs root (to install and start a Docker engine)"

# --- 1. Packages: Debian's engine and compose, debootstrap, the clients the checks use --------
export DEBIAN_FRONTEND=noninteractive
need=()
[ -x /usr/sbin/dockerd ] || need+=(docker.io)
[ -x /usr/bin/docker-compose ] || need+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v mosquitto_pub >/dev/null 2>&1 || need+=(mosquitto-clients)
command -v mosquitto_passwd >/dev/null 2>&1 || need+=(mosquitto)
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
command -v mvn >/dev/null 2>&1 || need+=(maven)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || skip "cannot install ${need[*]} from Debian's packages"
fi
# Debian's client, whatever else is on the PATH (a newer docker CLI without buildx would not build)
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
docker_cli=/usr/bin/docker
[ -x "$docker_cli" ] || skip "no Debian docker client at $docker_cli"
compose=(docker-compose)

# --- 2. A Docker engine of our own: own data root, socket, pid file -------------------------
work="$(mktemp -d /tmp/cg-image-test.XXXXXX)"
chmod 0755 "$work"
export DOCKER_HOST="unix://$work/docker.sock"
dockerd_pid=""
stack_dir=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  set +e
  # background steps of our own (the host's Maven, image builds, subscribers)
  jobs -p | xargs -r kill 2>/dev/null
  if [ -n "$stack_dir" ] && [ -d "$stack_dir" ]; then
    (cd "$stack_dir" && timeout 60 "${compose[@]}" --profile discord down -v --remove-orphans >/dev/null 2>&1)
  fi
  if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
    timeout 30 "$docker_cli" ps -aq 2>/dev/null | xargs -r timeout 60 "$docker_cli" rm -f >/dev/null 2>&1
    kill "$dockerd_pid"
    for _ in $(seq 1 30); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$dockerd_pid" 2>/dev/null
  fi
  # overlay mounts left by a killed engine would keep the data root busy
  grep -o " $work/[^ ]*" /proc/mounts 2>/dev/null | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

# --ip 127.0.0.1: a published port without an address stays on loopback
dockerd --data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/dockerd.pid" \
  -H "$DOCKER_HOST" --ip 127.0.0.1 >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
engine_up=0
for _ in $(seq 1 60); do
  if ! kill -0 "$dockerd_pid" 2>/dev/null; then
    break
  fi
  if timeout 5 "$docker_cli" version >/dev/null 2>&1; then
    engine_up=1
    break
  fi
  sleep 1
done
if [ "$engine_up" != 1 ]; then
  tail -n 15 "$work/dockerd.log" >&2 || true
  skip "the Docker engine does not start on this machine (dockerd log above)"
fi
say "engine $("$docker_cli" version --format '{{.Server.Version}}'), $("${compose[@]}" version --short 2>/dev/null || echo compose) ($(elapsed) s)"

# --- 3. Stand-ins for the base images --------------------------------------------------------
# The build stage's base gets a prepared local Maven repository, so that the Dockerfile's own
# "mvn -B -q -DskipTests package" runs offline in it. The repository is this machine's, filled
# by the same command run here (which the Maven tests after this stage need anyway); it runs
# while debootstrap downloads.
(cd "$repo" && timeout 300 mvn -B -q -DskipTests package >"$work/mvn-package.log" 2>&1) &
mvn_pid=$!
cache="${CG_IMAGE_TEST_CACHE:-/var/cache/cubeguardian-image-test}"
mkdir -p "$cache"
rootfs_tar="$cache/bookworm-minbase-slim.tar"
if [ ! -s "$rootfs_tar" ] || [ -n "$(find "$rootfs_tar" -mtime +7 2>/dev/null)" ]; then
  say "debootstrap --variant=minbase bookworm ..."
  rootfs="$work/rootfs"
  timeout 300 debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap failed (log above)"; }
  # as debian:bookworm-slim: no documentation, manual pages or translations, now or when
  # packages are installed later; no package lists or downloaded packages
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
EOF
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
    "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log
  # and, as in the real image, apt keeps neither its caches nor the packages it downloaded
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  tar -C "$rootfs" -cf "$rootfs_tar.tmp" . && mv -f "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$rootfs"
fi
"$docker_cli" import -c 'CMD ["bash"]' "$rootfs_tar" debian:bookworm-slim >/dev/null
timeout 60 "$docker_cli" run --rm --network none debian:bookworm-slim true \
  || skip "the engine starts but cannot run a container here (see $work/dockerd.log)"
say "debian:bookworm-slim stand-in imported ($(elapsed) s)"

mkdir -p "$work/maven/empty"
cat >"$work/maven/settings.xml" <<'EOF'
<settings><offline>true</offline></settings>
EOF
# in two steps: the packages (downloading) while the host's Maven finishes, then the repository
cat >"$work/maven/Dockerfile.jdk" <<'EOF'
FROM debian:bookworm-slim
# openjdk's postinst needs the manual page directory that the slim layout leaves out
RUN set -eux; mkdir -p /usr/share/man/man1; apt-get update; \
    apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven; rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
EOF
cat >"$work/maven/Dockerfile" <<'EOF'
FROM cg-image-test/jdk
COPY settings.xml /root/.m2/settings.xml
COPY repository /root/.m2/repository
EOF
(timeout 400 "$docker_cli" build -q -t cg-image-test/jdk -f "$work/maven/Dockerfile.jdk" "$work/maven/empty" >"$work/jdk-build.log" 2>&1) &
jdk_pid=$!

mkdir -p "$work/mosquitto"
cat >"$work/mosquitto/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
# as eclipse-mosquitto's: the data directory belongs to mosquitto (uid 1883), then run the command
set -e
if [ "$(id -u)" = 0 ]; then
  chown -R mosquitto:mosquitto /mosquitto/data /mosquitto/log 2>/dev/null || true
fi
exec "$@"
EOF
cat >"$work/mosquitto/Dockerfile" <<'EOF'
FROM debian:bookworm-slim
# eclipse-mosquitto's layout: user mosquitto with uid and gid 1883, /mosquitto/{config,data,log}
RUN set -eux; groupadd --system --gid 1883 mosquitto; \
    useradd --system --uid 1883 --gid 1883 --home-dir /var/empty --no-create-home --shell /usr/sbin/nologin mosquitto; \
    apt-get update; apt-get install -y --no-install-recommends mosquitto; rm -rf /var/lib/apt/lists/*; \
    mkdir -p /mosquitto/config /mosquitto/data /mosquitto/log; chown -R 1883:1883 /mosquitto; \
    ln -s /usr/bin/mosquitto_passwd /usr/local/bin/mosquitto_passwd
COPY docker-entrypoint.sh /docker-entrypoint.sh
VOLUME ["/mosquitto/data", "/mosquitto/log"]
EXPOSE 1883
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["/usr/sbin/mosquitto", "-c", "/mosquitto/config/mosquitto.conf"]
EOF
chmod 0755 "$work/mosquitto/docker-entrypoint.sh"
timeout 300 "$docker_cli" build -q -t eclipse-mosquitto:2 "$work/mosquitto" >/dev/null \
  || fail "the eclipse-mosquitto:2 stand-in did not build"
say "eclipse-mosquitto:2 stand-in built ($(elapsed) s)"
wait "$mvn_pid" || { tail -n 30 "$work/mvn-package.log" >&2; fail "mvn -B -q -DskipTests package failed on the host"; }
wait "$jdk_pid" || { tail -n 30 "$work/jdk-build.log" >&2; fail "the JDK for the maven stand-in did not install"; }
cp -al "$HOME/.m2/repository" "$work/maven/repository" 2>/dev/null || cp -a "$HOME/.m2/repository" "$work/maven/repository"
timeout 300 "$docker_cli" build -q -t maven:3.9-eclipse-temurin-17 "$work/maven" >/dev/null \
  || fail "the maven:3.9-eclipse-temurin-17 stand-in did not build"
rm -rf "$work/maven/repository"
say "maven:3.9-eclipse-temurin-17 stand-in built ($(elapsed) s)"

# --- 4. The project's image, from its own Dockerfile -----------------------------------------
build_start=$(date +%s)
# --pull=false: the base images are the local ones above (as a user's would be, once pulled)
timeout 600 "$docker_cli" build -t cubeguardian:local "$repo" >"$work/build.log" 2>&1 \
  || { tail -n 40 "$work/build.log" >&2; fail "docker build of the project's Dockerfile failed (log above)"; }
build_seconds=$(( $(date +%s) - build_start ))
image_bytes=$("$docker_cli" image inspect -f '{{.Size}}' cubeguardian:local)
base_bytes=$("$docker_cli" image inspect -f '{{.Size}}' debian:bookworm-slim)
java_bytes=$("$docker_cli" run --rm --network none --entrypoint du cubeguardian:local -sb /opt/java | cut -f1)
app_bytes=$("$docker_cli" run --rm --network none --entrypoint du cubeguardian:local -sb /app | cut -f1)
ok "docker build -t cubeguardian:local . ($build_seconds s, $((image_bytes / 1000000)) MB)"
"$docker_cli" history --format '{{.Size}}\t{{.CreatedBy}}' cubeguardian:local | cut -c1-110 >"$work/history"

[ "$("$docker_cli" image inspect -f '{{.Config.User}}' cubeguardian:local)" = "10001:10001" ] || fail "the image's USER is not 10001:10001"
grep -q 'syntax' "$work/build.log" && fail "the build pulled a frontend (# syntax=)"
# the AppCDS archive made at build time fits the image's JVM and jar: with -Xshare:on the JVM
# refuses to start on an archive it cannot use, instead of quietly loading everything from lib/
cds_out="$("$docker_cli" run --rm --network none -e JAVA_TOOL_OPTIONS='-Xshare:on -Xlog:class+load=info' cubeguardian:local status --help 2>&1)" \
  || { tail -n 5 <<<"$cds_out" >&2; fail "the image's JVM cannot use /app/cubeguardian.jsa (-Xshare:on, output above)"; }
cds_classes=$(grep -c 'source: shared objects file (top)' <<<"$cds_out" || true)
[ "$cds_classes" -gt 0 ] || fail "no class of the client's start came from the AppCDS archive /app/cubeguardian.jsa"
cds_mb=$(( $("$docker_cli" run --rm --network none --entrypoint stat cubeguardian:local -c %s /app/cubeguardian.jsa) / 1000000 ))
ok "the AppCDS archive ($cds_mb MB) fits the image's JVM and jar ($cds_classes classes of the client's start mapped from it)"

# --- helpers for the checks -------------------------------------------------------------------
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  fail "no free loopback port"
}
# wait_for <seconds> <what> <command...>: runs the command every second until it succeeds
wait_for() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 1
  done
}
health() { "$docker_cli" inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$1"; }
is_healthy() { [ "$(health "$1")" = healthy ]; }
# retained <port> <topic> [mosquitto_sub options]: the retained message, or nothing
retained() {
  local port="$1" topic="$2"
  shift 2
  timeout 10 mosquitto_sub -h 127.0.0.1 -p "$port" "$@" -t "$topic" -C 1 -W 3 2>/dev/null || true
}
# state_is <port> <expected> [mosquitto_sub options]: bridge/state is that, retained
state_is() {
  local port="$1" expected="$2"
  shift 2
  [ "$(retained "$port" cubeguardian/bridge/state "$@")" = "$expected" ]
}
# request <port> <host> <action> <id> [auth options...]: publishes a command, prints its result
request() {
  local port="$1" host="$2" action="$3" id="$4"
  shift 4
  local out="$work/result-$id"
  timeout 40 mosquitto_sub -h 127.0.0.1 -p "$port" "${sub_auth[@]}" -t "cubeguardian/$host/result/$action" -C 1 -W 30 >"$out" 2>&1 &
  local sub=$!
  sleep 1
  mosquitto_pub -h 127.0.0.1 -p "$port" "$@" -q 1 -t "cubeguardian/$host/cmd/$action" -m "{\"id\":\"$id\"}" \
    || { kill "$sub" 2>/dev/null; fail "could not publish $action to $host"; }
  wait "$sub" || true
  cat "$out"
}
json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" | head -n 1; }
rss_mb() { "$docker_cli" exec "$1" sh -c 'sed -n "s/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p" /proc/1/status' | awk '{ printf "%d", $1 / 1024 }'; }

# --- 5. The demo in the container ------------------------------------------------------------
broker_port=$(free_port)
management_port=$(free_port)
# as the compose file runs the worker: host network, read-only, /tmp in memory, NET_RAW only
demo_run=(--network host --read-only --tmpfs /tmp --cap-drop ALL --cap-add NET_RAW
  -e CUBEGUARDIAN_BROKER_PORT="$broker_port" -e CUBEGUARDIAN_MANAGEMENT_PORT="$management_port"
  -e CUBEGUARDIAN_CLI_MQTT_URL="tcp://127.0.0.1:$broker_port")
demo_start=$(date +%s)
"$docker_cli" run -d --name cg-demo "${demo_run[@]}" cubeguardian:local >/dev/null
sub_auth=()
wait_for 90 "bridge/state online" state_is "$broker_port" online \
  || { "$docker_cli" logs cg-demo 2>&1 | tail -n 30 >&2; fail "demo: no retained bridge/state online within 90 s"; }
ok "demo: bridge/state online after $(( $(date +%s) - demo_start )) s"
wait_for 30 "demo state" test -n "$(retained "$broker_port" cubeguardian/demo/state)" || true
[ "$(retained "$broker_port" cubeguardian/demo/state | json_field state)" != "" ] || [ -n "$(retained "$broker_port" cubeguardian/demo/state)" ] \
  || fail "demo: no retained cubeguardian/demo/state"

wake="$(request "$broker_port" demo wake image-test-wake)"
[ "$(json_field code <<<"$wake")" = WOL_SENT ] || fail "demo: wake answered '$wake', not WOL_SENT"
[ "$(json_field id <<<"$wake")" = image-test-wake ] || fail "demo: the wake's result has another id: $wake"
ok "demo: wake answered WOL_SENT"
check="$(request "$broker_port" demo check image-test-check)"
[ "$(json_field code <<<"$check")" = CHECKED ] || fail "demo: check answered '$check', not CHECKED"
ok "demo: check answered CHECKED"

uid="$("$docker_cli" exec cg-demo sh -c 'stat -c %u /proc/1')"
[ "$uid" != 0 ] || fail "demo: the worker runs as root"
[ "$uid" = 10001 ] || fail "demo: the worker runs as uid $uid, not 10001"
ok "demo: the worker runs as uid $uid"

status="$("$docker_cli" exec cg-demo /app/cubeguardian status 2>&1)" || fail "demo: /app/cubeguardian status in the container failed: $status"
grep -Eq '^demo +Demo server ' <<<"$status" || fail "demo: the CLI's status shows no demo row: $status"
ok "demo: docker exec ... /app/cubeguardian status lists the demo host"

wait_for 120 "healthy" is_healthy cg-demo \
  || { "$docker_cli" inspect -f '{{json .State.Health}}' cg-demo >&2; fail "demo: not healthy within 120 s (health: $(health cg-demo))"; }
healthy_after=$(( $(date +%s) - demo_start ))
ok "demo: HEALTHCHECK healthy after $healthy_after s, on CUBEGUARDIAN_MANAGEMENT_PORT=$management_port"
"$docker_cli" exec -e CUBEGUARDIAN_MANAGEMENT_PORT=1 cg-demo /app/healthcheck >/dev/null 2>&1 \
  && fail "demo: the health check passes against a port nothing listens on"
off="$("$docker_cli" exec -e CUBEGUARDIAN_MANAGEMENT_ENABLED=false cg-demo /app/healthcheck)" \
  || fail "demo: the health check fails with the management server off"
grep -q 'not checked' <<<"$off" || fail "demo: with management off the health check says '$off'"
ok "demo: the health check follows the port, and says 'not checked' with management off"

demo_rss=$(rss_mb cg-demo)
demo_mem="$("$docker_cli" stats --no-stream --format '{{.MemUsage}}' cg-demo)"

# a second worker given the same health port stops at start, saying which setting to change
other_broker=$(free_port)
"$docker_cli" run -d --name cg-taken --network host --read-only --tmpfs /tmp --cap-drop ALL --cap-add NET_RAW \
  -e CUBEGUARDIAN_BROKER_PORT="$other_broker" -e CUBEGUARDIAN_MANAGEMENT_PORT="$management_port" cubeguardian:local >/dev/null
exit_code="$(timeout 90 "$docker_cli" wait cg-taken)" || fail "demo: a worker whose health port is taken keeps running"
taken_log="$("$docker_cli" logs cg-taken 2>&1)"
[ "$exit_code" = 2 ] || fail "demo: a taken health port exits with $exit_code, not 2: $(tail -n 5 <<<"$taken_log")"
grep -q "cannot start: The health and metrics server cannot listen on 127.0.0.1:$management_port" <<<"$taken_log" \
  || fail "demo: a taken health port does not say so: $(tail -n 5 <<<"$taken_log")"
"$docker_cli" rm -f cg-taken >/dev/null
ok "demo: a taken health port stops the worker at start (exit 2, the port and CUBEGUARDIAN_MANAGEMENT_PORT named)"

timeout 60 mosquitto_sub -h 127.0.0.1 -p "$broker_port" -R -t cubeguardian/bridge/state -C 1 -W 50 >"$work/offline" 2>/dev/null &
watcher=$!
sleep 1
timeout 60 "$docker_cli" stop -t 30 cg-demo >/dev/null
wait "$watcher" || true
[ "$(cat "$work/offline")" = offline ] || fail "demo: docker stop published '$(cat "$work/offline")' on bridge/state, not offline"
ok "demo: docker stop publishes bridge/state offline (exit status $("$docker_cli" inspect -f '{{.State.ExitCode}}' cg-demo))"
"$docker_cli" rm -f cg-demo >/dev/null

# --- 6. The compose stack, as docs/install.md says -------------------------------------------
for port in 1883 1884 9876; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "compose: port 127.0.0.1:$port is taken on this machine; the stack needs 1883, 1884 and 9876"
  fi
done
# 1. Get the files: what a clone has (tracked files, and new ones not ignored)
stack_dir="$work/cubeguardian"
mkdir -p "$stack_dir"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' \
  | tar --null -T - -cf -) | tar -C "$stack_dir" -xf -
cd "$stack_dir"
# 2. Create the broker users and the secrets (non-interactive: the passwords in the environment)
pw_nodered="nodered-$(date +%s%N)"
pw_cli="cli-$(date +%s%N)"
CG_PASSWORD_NODERED="$pw_nodered" CG_PASSWORD_CLI="$pw_cli" docker/create-broker-users.sh </dev/null >"$work/users.log" 2>&1 \
  || { cat "$work/users.log" >&2; fail "compose: docker/create-broker-users.sh failed"; }
[ "$(stat -c '%u %a' docker/mosquitto/acl)" = "1883 400" ] || fail "compose: docker/mosquitto/acl is $(stat -c '%u %a' docker/mosquitto/acl), not uid 1883 mode 0400"
[ "$(stat -c '%u %a' docker/secrets/mqtt_cli_password)" = "10001 400" ] || fail "compose: mqtt_cli_password is not the worker's (uid 10001, 0400)"
ok "compose: docker/create-broker-users.sh (the ACL and every secret owned by its reader, mode 0400)"
# 3. Describe your hosts: the example, edited as a user would (here: loopback addresses)
cp config/hosts.example.yaml config/hosts.yaml
sed -i -e 's/192\.168\.1\.255/127.0.0.255/' -e 's/192\.168\.1\.[0-9]*/127.0.0.10/' config/hosts.yaml
grep -q '192\.168\.' config/hosts.yaml && fail "compose: a private address is left in hosts.yaml"
# 4. Record the host's SSH key (what ssh-keyscan would print for it)
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key" >/dev/null
echo "127.0.0.10 $(cut -d' ' -f1,2 "$work/host_key.pub")" >config/known_hosts
chmod 0644 config/hosts.yaml config/known_hosts
# 5. Start
timeout 300 "${compose[@]}" build >"$work/compose-build.log" 2>&1 || { tail -n 30 "$work/compose-build.log" >&2; fail "compose: build failed"; }
up_start=$(date +%s)
timeout 120 "${compose[@]}" up -d >"$work/compose-up.log" 2>&1 || { cat "$work/compose-up.log" >&2; fail "compose: up -d failed"; }
worker="$("${compose[@]}" ps -q worker)"
mosquitto="$("${compose[@]}" ps -q mosquitto)"
[ -n "$worker" ] && [ -n "$mosquitto" ] || fail "compose: up -d did not start mosquitto and worker"
if ! wait_for 150 "worker healthy" is_healthy "$worker"; then
  "${compose[@]}" logs --tail 40 >&2 || true
  fail "compose: the worker is not healthy within 150 s (health: $(health "$worker"), restarts: $("$docker_cli" inspect -f '{{.RestartCount}}' "$worker"))"
fi
stack_healthy_after=$(( $(date +%s) - up_start ))
[ "$("$docker_cli" inspect -f '{{.RestartCount}}' "$worker")" = 0 ] || fail "compose: the worker restarted"
ok "compose: up -d, worker healthy after $stack_healthy_after s, no restart"
"${compose[@]}" logs --no-color worker >"$work/worker.log" 2>&1
grep -q 'Connected to MQTT broker tcp://127.0.0.1:1884' "$work/worker.log" \
  || { tail -n 30 "$work/worker.log" >&2; fail "compose: the worker's log has no 'Connected to MQTT broker tcp://127.0.0.1:1884'"; }
ok "compose: the worker's log says what docs/install.md says it does"

# Try it from the Docker host, as install.md does: nodered watches, cli sends
sub_auth=(-u nodered -P "$pw_nodered")
check="$(request 1883 pve check try-1 -u cli -P "$pw_cli")"
[ "$(json_field code <<<"$check")" = CHECKED ] || fail "compose: the check as cli, watched as nodered, answered '$check'"
[ "$(json_field id <<<"$check")" = try-1 ] || fail "compose: the check's result has another id: $check"
ok "compose: a check sent as cli is answered, and read as nodered"

# anonymous, and the clients on the worker's listener: refused
for port in 1883 1884; do
  if out="$(timeout 10 mosquitto_pub -h 127.0.0.1 -p "$port" -t cubeguardian/pve/cmd/check -m '{}' 2>&1)"; then
    fail "compose: an anonymous publish on $port was accepted"
  fi
  grep -qi 'not authori[sz]ed\|refused' <<<"$out" || fail "compose: anonymous on $port failed otherwise: $out"
done
if timeout 10 mosquitto_pub -h 127.0.0.1 -p 1884 -u nodered -P "$pw_nodered" -t cubeguardian/pve/cmd/check -m '{}' >/dev/null 2>&1; then
  fail "compose: nodered may log in on the worker's listener"
fi
ok "compose: anonymous refused on 1883 and 1884, nodered refused on 1884"

# the CLI in the worker's container, as docs/cli.md says (the cli user, from the compose file)
status="$("${compose[@]}" exec -T worker /app/cubeguardian status 2>&1)" || fail "compose: /app/cubeguardian status in the worker failed: $status"
grep -Eq '^pve +Proxmox ' <<<"$status" || fail "compose: the CLI's status has no pve row: $status"
ok "compose: docker-compose exec worker /app/cubeguardian status (as user cli)"
stack_rss=$(rss_mb "$worker")

# a lost broker makes the worker unhealthy (readiness), and it recovers when the broker is back
timeout 60 "${compose[@]}" stop mosquitto >/dev/null 2>&1
wait_for 30 "health check failing" sh -c '! "$0" exec "$1" /app/healthcheck' "$docker_cli" "$worker" \
  || fail "compose: with the broker stopped the worker's health check still passes after 30 s"
timeout 60 "${compose[@]}" start mosquitto >/dev/null 2>&1
wait_for 60 "health check passing" "$docker_cli" exec "$worker" /app/healthcheck \
  || fail "compose: the worker's health check does not pass again within 60 s of the broker's return"
ok "compose: broker stopped -> the worker's health check fails; broker back -> it passes"

# retained states survive a broker restart (named volume): stop the worker so that nothing
# republishes them, restart the broker, read them back
before="$(retained 1883 cubeguardian/pve/state -u nodered -P "$pw_nodered")"
[ -n "$before" ] || fail "compose: no retained cubeguardian/pve/state"
timeout 60 "${compose[@]}" stop worker >/dev/null 2>&1
wait_for 20 "offline" state_is 1883 offline -u nodered -P "$pw_nodered" || fail "compose: stopping the worker did not leave bridge/state offline"
timeout 60 "${compose[@]}" restart mosquitto >/dev/null 2>&1
wait_for 30 "broker back" test -n "$(retained 1883 cubeguardian/bridge/info -u nodered -P "$pw_nodered")" || true
after="$(retained 1883 cubeguardian/pve/state -u nodered -P "$pw_nodered")"
[ "$after" = "$before" ] || fail "compose: after a broker restart pve/state is '$after', was '$before'"
[ -n "$(retained 1883 cubeguardian/bridge/info -u nodered -P "$pw_nodered")" ] || fail "compose: bridge/info lost in the broker restart"
state_is 1883 offline -u nodered -P "$pw_nodered" || fail "compose: bridge/state lost in the broker restart"
ok "compose: a broker restart keeps pve/state, bridge/info and bridge/state"

# the command memory survives the worker's restart (the worker-data volume on /data): the check
# answered before is answered again from disk, marked duplicate, not run again
timeout 60 "${compose[@]}" start worker >/dev/null 2>&1
wait_for 150 "worker healthy again" is_healthy "$worker" || fail "compose: the restarted worker is not healthy within 150 s"
again="$(request 1883 pve check try-1 -u cli -P "$pw_cli")"
grep -q '"duplicate":true' <<<"$again" || fail "compose: after a worker restart the repeated id try-1 was run again: $again"
ok "compose: after a worker restart a repeated id is answered from /data (duplicate), not run again"

timeout 120 "${compose[@]}" down -v >/dev/null 2>&1 || fail "compose: down -v failed"
cd "$repo"
stack_dir=""

# --- 7. What was measured ---------------------------------------------------------------------
say "measured: image cubeguardian:local $((image_bytes / 1000000)) MB (base debian:bookworm-slim stand-in $((base_bytes / 1000000)) MB, /opt/java $((java_bytes / 1000000)) MB, /app $((app_bytes / 1000000)) MB, of it the AppCDS archive $cds_mb MB); build $build_seconds s"
say "measured: demo worker RSS $demo_rss MB (docker stats: $demo_mem), healthy after $healthy_after s; compose worker RSS $stack_rss MB, healthy after $stack_healthy_after s"
# docs/install.md quotes the size: it must still be true (within 15 %)
documented_mb="$(sed -n 's/^| image on disk[^|]*| \([0-9]*\) MB.*/\1/p' "$repo/docs/install.md")"
measured_mb=$((image_bytes / 1000000))
[ -n "$documented_mb" ] || fail "docs/install.md has no 'image on disk' row"
if [ $((measured_mb * 100)) -gt $((documented_mb * 115)) ] || [ $((measured_mb * 100)) -lt $((documented_mb * 85)) ]; then
  fail "docs/install.md says the image is $documented_mb MB; it is $measured_mb MB"
fi
ok "docs/install.md's image size ($documented_mb MB) is what was measured ($measured_mb MB)"
say "image layers (size, instruction):"
sed 's/^/image-test:   /' "$work/history"
say "all $checks checks passed in $(elapsed) s"
