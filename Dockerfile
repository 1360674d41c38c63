# Builds the hub and the spoke simulator from source; `docker compose up` runs both with Postgres.
#   docker build --target hub -t unusd-hub .
#   docker build --target spoke-sim -t unusd-spoke-sim .

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# Dependencies first, so a source change does not download them again.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY spoke-role-cfn/pom.xml spoke-role-cfn/
COPY spoke-sim/pom.xml spoke-sim/
COPY hub-service/pom.xml hub-service/
RUN ./mvnw -B -q dependency:go-offline -DexcludeReactor=true || true
COPY . .
RUN ./mvnw -B -q -DskipTests -Dcfn.lint.skip package \
 && cp hub-service/target/hub-service-*.jar /hub.jar \
 && cp spoke-sim/target/spoke-sim-*-exec.jar /spoke-sim.jar

FROM eclipse-temurin:17-jre AS hub
RUN groupadd --system unusd && useradd --system --gid unusd --home-dir /app --shell /usr/sbin/nologin unusd
WORKDIR /app
COPY --from=build /hub.jar /app/hub.jar
USER unusd
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=6 \
  CMD ["sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q UP <&3"]
# C1 only: on a small instance C2 compiled for minutes after start, taking a core from the first scans (hub CPU 50 s
# against 30 s for the same scan); in the API benchmark's first minutes C1 served more on 5 of 6 endpoints
# (docs/benchmarks.md).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:TieredStopAtLevel=1", "-jar", "/app/hub.jar"]

FROM eclipse-temurin:17-jre AS spoke-sim
RUN groupadd --system unusd && useradd --system --gid unusd --home-dir /app --shell /usr/sbin/nologin unusd
WORKDIR /app
COPY --from=build /spoke-sim.jar /app/spoke-sim.jar
USER unusd
EXPOSE 4566
ENTRYPOINT ["java", "-jar", "/app/spoke-sim.jar", "--host", "0.0.0.0", "--port", "4566"]
CMD ["--scenario", "demo"]
