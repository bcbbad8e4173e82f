# One image for each Homecoming service, built from the exec jar that the Maven build leaves in
# <module>/target. Build the jars first:   ./mvnw -q -DskipTests package
# docker-compose.yml passes MODULE (the Maven module) and PORT (its HTTP port).
FROM eclipse-temurin:17-jre

ARG MODULE
ARG PORT=8080

# curl is for the container's health check only.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app homecoming

WORKDIR /app
COPY ${MODULE}/target/${MODULE}-0.1.0-SNAPSHOT-exec.jar /app/service.jar

USER homecoming
# Avro 1.12 only builds classes of trusted packages; each service runs in a 512 MB heap.
# Inside a container the service listens on every interface (it binds 127.0.0.1 by default elsewhere). It then starts
# only with server.ssl configured, or HOMECOMING_SERVER_PLAIN_HTTP_REASON saying what encrypts its traffic in front of
# it (docker-compose.yml gives its own); the platform's EncryptedEndpoints checks it.
ENV SPRING_PROFILES_ACTIVE=docker \
    SERVER_ADDRESS=0.0.0.0 \
    SERVICE_PORT=${PORT} \
    JAVA_TOOL_OPTIONS="-Xmx512m -XX:+ExitOnOutOfMemoryError -Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.homecoming.events"
EXPOSE ${PORT}

HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=30 \
    CMD curl -fsS "http://localhost:${SERVICE_PORT}/actuator/health/readiness" > /dev/null || exit 1

ENTRYPOINT ["java", "-jar", "/app/service.jar"]
