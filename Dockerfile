# syntax=docker/dockerfile:1
# One image for both services: `etl` (control plane, branches, REST API) and `oracles`.
#   docker build -t pessimism-etl .
#   docker run --rm pessimism-etl --help

# --- build: the shaded jar app/target/pessimism.jar, as bin/pessimism builds it ---------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY schemas schemas
COPY etl-core etl-core
COPY testkit testkit
COPY oracle-producers oracle-producers
COPY etl-topology etl-topology
COPY app app
# -Dnpm.skip=true: the build needs no anvil (testkit's `npm ci` is for the tests, which are skipped);
# the cache mount keeps ~/.m2 between builds.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -Dnpm.skip=true package -pl app -am

# --- runtime: a JRE, the jar, a non-root user ------------------------------------------------
FROM eclipse-temurin:17-jre
# curl: the health checks of docker-compose.yml ask the REST API's /ready with it
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 pessimism \
 && useradd --system --uid 10001 --gid pessimism --home-dir /var/lib/pessimism --shell /usr/sbin/nologin pessimism \
 && mkdir -p /var/lib/pessimism/state \
 && chown -R pessimism:pessimism /var/lib/pessimism
COPY --from=build /src/app/target/pessimism.jar /opt/pessimism/pessimism.jar
COPY deploy/docker/pessimism /usr/local/bin/pessimism
# Kafka Streams' local state (state.dir) lives here; mount a volume on it to keep it across restarts.
ENV PESSIMISM_STATE_DIR=/var/lib/pessimism/state
WORKDIR /var/lib/pessimism
USER 10001:10001
EXPOSE 8080
# exec form: the JVM is PID 1 and gets SIGTERM itself, so its shutdown hook closes the service cleanly
ENTRYPOINT ["/usr/local/bin/pessimism"]
CMD ["--help"]
