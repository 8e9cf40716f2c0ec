# CubeGuardian image: the worker (default) and the Discord front-end (command: discord).
#   docker build -t cubeguardian:local .     or: docker compose build  /  docker-compose build
# Builds with the classic builder and with BuildKit alike (Docker Engine 20.10 and later, as
# Debian 12 ships it): no "# syntax=" directive (it makes BuildKit pull its frontend from
# Docker Hub on every build) and no RUN --mount (the classic builder refuses it).

# Build stage: Maven + JDK. Nothing of it reaches the runtime image but the jar, its lib/ and
# the Java runtime made below.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src/main ./src/main
COPY routes ./routes
RUN mvn -B -q -DskipTests package
# A Java runtime of only the modules the worker uses, with the JDK's class data sharing
# archive: docker/make-java-runtime says which and why. Made from the build stage's JDK (its
# jmods/), so no other base image is needed.
COPY docker/make-java-runtime /usr/local/bin/
RUN make-java-runtime /opt/java

# Runtime stage: Debian and that runtime only (no JDK, no Maven, no compiler).
FROM debian:bookworm-slim AS runtime
# iputils-ping: ICMP host probes (ping carries cap_net_raw as a file capability, so it works
# for the non-root user; the container must keep NET_RAW). curl: the HEALTHCHECK below.
RUN set -eux; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends iputils-ping curl; \
    rm -rf /var/lib/apt/lists/*; \
    groupadd --system --gid 10001 cubeguardian; \
    useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin cubeguardian; \
    install -d -o 10001 -g 10001 -m 0750 /data
COPY --from=build /opt/java /opt/java
# /data: the command memory (answered ids survive a restart); a volume, so it outlives the container
VOLUME ["/data"]
ENV CUBEGUARDIAN_DATA_DIR=/data \
    JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /app
# the launcher (docker exec <container> /app/cubeguardian status) and the health check
COPY cubeguardian docker/healthcheck /app/
# dependencies first: they change less often than the application jar
COPY --from=build /src/target/lib/ /app/lib/
COPY --from=build /src/target/cubeguardian.jar /app/cubeguardian.jar
# AppCDS: a training start of the demo, at build time and with the ENTRYPOINT's command, leaves
# the classes the worker loads in /app/cubeguardian.jsa, which the ENTRYPOINT maps at every start
# instead of loading them from lib/ again (docs/performance.md, section 5b: start to online
# 1.45 s instead of 2.36 s; 60 MB on disk). The JVM ignores an archive that does not fit its jars.
COPY docker/train-cds /usr/local/bin/
RUN train-cds /app/cubeguardian.jsa java -XX:+UseSerialGC -Xss512k -XX:MaxRAM=256m -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=128m -jar /app/cubeguardian.jar
# Inventory and known_hosts: /config (mount read-only). Secrets: /run/secrets (compose secrets).
USER 10001:10001
# The worker's health endpoint (Camel's management server, bound to 127.0.0.1): /app/healthcheck
# asks http://127.0.0.1:${CUBEGUARDIAN_MANAGEMENT_PORT:-9876}/observe/health with curl -f, from
# inside the container, so it also works under network_mode: host. With the management server
# off (CUBEGUARDIAN_MANAGEMENT_ENABLED=false) there is nothing to ask: it says so and passes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/app/healthcheck"]
# java -jar cubeguardian.jar runs the worker; "discord" as the command runs the Discord front-end.
# Lean JVM settings measured in docs/performance.md (sections 5 and 5b): with the AppCDS archive
# about 1.45 s to online and 146 MiB resident after a soak, instead of 200+ MB with the JDK's
# defaults; a homelab worker handles few commands, so C1 alone is plenty.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xss512k", "-XX:MaxRAM=256m", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=128m", "-XX:SharedArchiveFile=/app/cubeguardian.jsa", "-jar", "/app/cubeguardian.jar"]
CMD []
