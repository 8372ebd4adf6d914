# Build: the runnable jar, with Maven (target/vertx-channels.jar: shaded, every dependency in it;
# the library jar built beside it, vertx-channels-<version>.jar, is not needed here).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY conf conf
COPY src src
RUN mvn -B -ntp -q package -Dmaven.test.skip=true

# Run: a JRE, the jar, and conf/ (mount your own over /app/conf).
FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /app channels
WORKDIR /app
COPY --from=build /src/target/vertx-channels.jar /app/vertx-channels.jar
COPY conf /app/conf
USER channels
VOLUME ["/app/conf"]
ENTRYPOINT ["java", "-jar", "/app/vertx-channels.jar"]
CMD ["serve", "--conf", "/app/conf/config.json"]
