# Builds the hub and the spoke simulator from source; `docker compose up` runs both with Postgres.
#   docker build --target hub -t unusd-hub .
#   docker build --target spoke-sim -t unusd-spoke-sim .

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
# Dependencies first, so a source change does not download them again.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY spoke-role-cfn/pom.xml spoke-role-cfn/
COPY spoke-sim/pom.xml spoke-sim/
COPY hub-service/pom.xml hub-service/
RUN ./mvnw -B -q dependency:go-offline -DexcludeReactor=true
COPY . .
RUN ./mvnw -B -q -DskipTests package \
 && cp "$(ls hub-service/target/hub-service-*.jar | grep -v -e '-demo\.jar$')" /hub.jar \
 && cp spoke-sim/target/spoke-sim-*-exec.jar /spoke-sim.jar

FROM eclipse-temurin:25-jre AS hub
# The health check needs curl (the Temurin images ship it): fail the build, not every health check, if one lacks it.
RUN command -v curl >/dev/null \
 && groupadd --system unusd && useradd --system --gid unusd --home-dir /app --shell /usr/sbin/nologin unusd
WORKDIR /app
# The hub jar, without the embedded PostgreSQL of the demo jar: the image uses the database HUB_DB_URL names.
COPY --from=build /hub.jar /app/hub.jar
USER unusd
EXPOSE 8080
# Shell form: /bin/sh here is dash, which has no /dev/tcp; curl -f fails on any status but 2xx (readiness DOWN is 503).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=6 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${PORT:-8080}/actuator/health/readiness" || exit 1
# The JVM's default JIT (C1, then C2 for hot code): once warm, a scan target costs the hub about 30 % less CPU than in
# C1-only code, which pays for the compiling of the first minutes at organisation scale (README, "Scanning an
# organisation"; docs/benchmarks.md).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/hub.jar"]

FROM eclipse-temurin:25-jre AS spoke-sim
# curl: docker-compose.yml's health check of the simulator.
RUN command -v curl >/dev/null \
 && groupadd --system unusd && useradd --system --gid unusd --home-dir /app --shell /usr/sbin/nologin unusd
WORKDIR /app
COPY --from=build /spoke-sim.jar /app/spoke-sim.jar
USER unusd
EXPOSE 4566
ENTRYPOINT ["java", "-jar", "/app/spoke-sim.jar", "--host", "0.0.0.0", "--port", "4566"]
CMD ["--scenario", "demo"]
