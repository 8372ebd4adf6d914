# Build: the runnable jar, with Maven (target/vertx-channels.jar: shaded, every dependency in it;
# the library jar built beside it, vertx-channels-<version>.jar, is not needed here).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY conf conf
COPY src src
RUN mvn -B -ntp -q package -Dmaven.test.skip=true

# Run: a JRE, the jar, and conf/ (config.json, cluster.xml; mount your own over /app/conf).
# Clustered: docker run ... vertx-channels serve --cluster --cluster-config /app/conf/cluster.xml
#   --cluster-members HOST:5701,... --cluster-host THIS_HOST --cluster-port 17100 (README.md)
FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /app channels
WORKDIR /app
COPY --from=build /src/target/vertx-channels.jar /app/vertx-channels.jar
COPY conf /app/conf
USER channels
VOLUME ["/app/conf"]
# serve --cluster: Hazelcast (5701 and up, auto-increment) and the event bus (fix it with
# --cluster-port, e.g. 17100) must be reachable from the other nodes; see README.md
EXPOSE 5701 17100
ENTRYPOINT ["java", "-jar", "/app/vertx-channels.jar"]
CMD ["serve", "--conf", "/app/conf/config.json"]
