package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.UNAVAILABLE;
import static dev.channels.impl.host.HostRequests.freshStatus;
import static dev.channels.impl.host.HostRequests.noHandlers;
import static dev.channels.impl.host.HostRequests.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.channels.Channel;
import dev.channels.ChannelHostVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The host verticle's configuration: defaults, validation at deployment (the error names the key),
 * configured channels served once start completes, deployment by name.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostConfigTest {

  @Test
  void anEmptyConfigurationHasTheDocumentedDefaults() {
    HostConfig config = HostConfig.from(new JsonObject());
    assertThat(config.address()).isEqualTo("channels");
    assertThat(config.defaultTimeoutMs()).isEqualTo(20_000);
    assertThat(config.ackTimeoutMs()).isEqualTo(30_000);
    assertThat(config.channels()).isEmpty();
    assertThat(config.maxChannels()).isEqualTo(10_000);
    assertThat(config.maxWaiters()).isEqualTo(10_000);
    assertThat(config.maxQueuedItems()).isEqualTo(10_000_000);
    assertThat(config.maxJoins()).isEqualTo(10_000);
    assertThat(config.maxDeliveries()).isEqualTo(20);
    assertThat(config.nackBackoffMs()).isEqualTo(100);
    assertThat(config.maxNackBackoffMs()).isEqualTo(10_000);
    assertThat(config.drainTimeoutMs()).isEqualTo(5_000);
  }

  @Test
  void everyKeyIsRead() {
    HostConfig config = HostConfig.from(new JsonObject()
        .put("address", "svc")
        .put("defaultTimeoutMs", 29_999)
        .put("ackTimeoutMs", 2_147_483_647)
        .put("channels", new JsonArray()
            .add(new JsonObject().put("name", "jobs").put("capacity", 100))
            .add(new JsonObject().put("name", "meet").put("capacity", 0))
            .add(new JsonObject().put("name", "endless"))
            .add(new JsonObject().put("name", "nulled").putNull("capacity"))
            .add(new JsonObject().put("name", "poisoned").put("maxDeliveries", 3).put("deadLetter", "failed")))
        .put("maxDeliveries", 7)
        .put("nackBackoffMs", 10)
        .put("maxNackBackoffMs", 80)
        .put("drainTimeoutMs", 0)
        .put("limits", new JsonObject().put("maxChannels", 5).put("maxWaiters", 0).put("maxJoins", 1)
            .put("maxQueuedItems", 5L)));
    assertThat(config.address()).isEqualTo("svc");
    assertThat(config.defaultTimeoutMs()).isEqualTo(29_999);
    assertThat(config.ackTimeoutMs()).isEqualTo(2_147_483_647L);
    assertThat(config.channels()).isEqualTo(Map.of(
        "jobs", new ChannelSettings(100, 7, "jobs-dead"),
        "meet", new ChannelSettings(0, 7, "meet-dead"),
        "endless", new ChannelSettings(Channel.UNBOUNDED, 7, "endless-dead"),
        "nulled", new ChannelSettings(Channel.UNBOUNDED, 7, "nulled-dead"),
        "poisoned", new ChannelSettings(Channel.UNBOUNDED, 3, "failed")));
    assertThat(config.maxDeliveries()).isEqualTo(7);
    assertThat(config.nackBackoffMs()).isEqualTo(10);
    assertThat(config.maxNackBackoffMs()).isEqualTo(80);
    assertThat(config.drainTimeoutMs()).isZero();
    assertThat(config.maxJoins()).isOne();
    assertThat(config.maxChannels()).isEqualTo(5);
    assertThat(config.maxWaiters()).isZero();
    assertThat(config.maxQueuedItems()).isEqualTo(5);
  }

  @Test
  void ackTimeoutMsAcceptsEveryIntegerFrom1To2147483647AndNullMeansTheDefault() {
    assertThat(HostConfig.from(new JsonObject().put("ackTimeoutMs", 1)).ackTimeoutMs()).isEqualTo(1);
    assertThat(HostConfig.from(new JsonObject().put("ackTimeoutMs", 30_000L)).ackTimeoutMs()).isEqualTo(30_000);
    assertThat(HostConfig.from(new JsonObject().putNull("ackTimeoutMs")).ackTimeoutMs()).isEqualTo(30_000);
  }

  @Test
  void anInvalidAckTimeoutMsIsNamedWithItsRangeAndValue() {
    assertThatThrownBy(() -> HostConfig.from(new JsonObject().put("ackTimeoutMs", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid config: 'ackTimeoutMs' must be an integer from 1 to 2147483647, not 0");
  }

  @Test
  void anEmptyConfigurationServesTheRegistryAtChannels(Vertx vertx, VertxTestContext ctx) {
    HostRequests requests = new HostRequests(vertx);
    vertx.deployVerticle(new ChannelHostVerticle())
        .compose(id -> requests.list())
        .map(list -> assertThat(list).isEqualTo(new JsonObject().put("channels", new JsonArray())))
        .onComplete(ctx.succeedingThenComplete());
  }

  static Stream<Arguments> invalidConfigurations() {
    return Stream.of(
        invalid("address", new JsonObject().put("address", 5)),
        invalid("address", new JsonObject().put("address", "")),
        invalid("address", new JsonObject().put("address", new JsonObject())),
        invalid("defaultTimeoutMs", new JsonObject().put("defaultTimeoutMs", "200")),
        invalid("defaultTimeoutMs", new JsonObject().put("defaultTimeoutMs", 1.5)),
        invalid("defaultTimeoutMs", new JsonObject().put("defaultTimeoutMs", true)),
        invalid("defaultTimeoutMs", new JsonObject().put("defaultTimeoutMs", -1)),
        invalid("defaultTimeoutMs", new JsonObject().put("defaultTimeoutMs", 30_000)),
        invalid("defaultTimeoutMs", new JsonObject().put("defaultTimeoutMs", 60_000)),
        invalid("ackTimeoutMs", new JsonObject().put("ackTimeoutMs", 0)),
        invalid("ackTimeoutMs", new JsonObject().put("ackTimeoutMs", -1)),
        invalid("ackTimeoutMs", new JsonObject().put("ackTimeoutMs", 2_147_483_648L)),
        invalid("ackTimeoutMs", new JsonObject().put("ackTimeoutMs", "30000")),
        invalid("ackTimeoutMs", new JsonObject().put("ackTimeoutMs", 1.5)),
        invalid("ackTimeoutMs", new JsonObject().put("ackTimeoutMs", false)),
        invalid("ackTimeoutMs", new JsonObject().put("ackTimeoutMs", new JsonObject())),
        invalid("channels", new JsonObject().put("channels", new JsonObject())),
        invalid("channels", new JsonObject().put("channels", "jobs")),
        invalid("channels[0]", new JsonObject().put("channels", new JsonArray().add("jobs"))),
        invalid("channels[1]", new JsonObject().put("channels", new JsonArray()
            .add(new JsonObject().put("name", "ok")).addNull())),
        invalid("channels[0].name", channel(new JsonObject().put("capacity", 1))),
        invalid("channels[0].name", channel(new JsonObject().put("name", "a.b"))),
        invalid("channels[0].name", channel(new JsonObject().put("name", ""))),
        invalid("channels[0].name", channel(new JsonObject().put("name", 7))),
        invalid("channels[0].capacity", channel(new JsonObject().put("name", "jobs").put("capacity", -1))),
        invalid("channels[0].capacity", channel(new JsonObject().put("name", "jobs").put("capacity", "5"))),
        invalid("channels[0].capacity", channel(new JsonObject().put("name", "jobs").put("capacity", 2.5))),
        invalid("channels[0].capacity", channel(new JsonObject().put("name", "jobs").put("capacity", true))),
        invalid("channels[0].size", channel(new JsonObject().put("name", "jobs").put("size", 5))),
        invalid("channels[1]", new JsonObject().put("channels", new JsonArray()
            .add(new JsonObject().put("name", "jobs").put("capacity", 1))
            .add(new JsonObject().put("name", "jobs").put("capacity", 2)))),
        invalid("limits", new JsonObject().put("limits", "none")),
        invalid("limits", new JsonObject().put("limits", new JsonArray())),
        invalid("limits.maxChannels", limits(new JsonObject().put("maxChannels", -1))),
        invalid("limits.maxChannels", limits(new JsonObject().put("maxChannels", "10"))),
        invalid("limits.maxWaiters", limits(new JsonObject().put("maxWaiters", -1))),
        invalid("limits.maxWaiters", limits(new JsonObject().put("maxWaiters", 1.5))),
        invalid("limits.maxQueuedItems", limits(new JsonObject().put("maxQueuedItems", -5))),
        invalid("limits.maxQueuedItems", limits(new JsonObject().put("maxQueuedItems", false))),
        invalid("limits.maxTopics", limits(new JsonObject().put("maxTopics", 1))),
        invalid("limits.maxChannels", new JsonObject()
            .put("limits", new JsonObject().put("maxChannels", 1))
            .put("channels", new JsonArray().add(new JsonObject().put("name", "a")).add(new JsonObject().put("name", "b")))),
        invalid("adress", new JsonObject().put("adress", "channels")));
  }

  private static Arguments invalid(String key, JsonObject config) {
    return Arguments.of(key, config);
  }

  private static JsonObject channel(JsonObject entry) {
    return new JsonObject().put("channels", new JsonArray().add(entry));
  }

  private static JsonObject limits(JsonObject limits) {
    return new JsonObject().put("limits", limits);
  }

  @ParameterizedTest(name = "an invalid ''{0}'' fails the deployment, naming the key: {1}")
  @MethodSource("invalidConfigurations")
  void anInvalidConfigurationFailsTheDeploymentNamingTheKey(String key, JsonObject config, Vertx vertx,
                                                            VertxTestContext ctx) {
    HostRequests requests = new HostRequests(vertx);
    vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config))
        .transform(deployment -> {
          assertThat(deployment.failed()).as("deployment with %s", config).isTrue();
          assertThat(deployment.cause()).hasMessageContaining("'" + key + "'");
          return Future.succeededFuture();
        })
        .compose(v -> {
          assertThat(vertx.deploymentIDs()).isEmpty();
          return noHandlers(requests.list());
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void configuredChannelsAreServedOnceStartCompletes(Vertx vertx, VertxTestContext ctx) {
    HostRequests requests = new HostRequests(vertx, "svc");
    JsonObject config = new JsonObject()
        .put("address", "svc")
        .put("channels", new JsonArray()
            .add(new JsonObject().put("name", "jobs").put("capacity", 100))
            .add(new JsonObject().put("name", "endless"))
            .add(new JsonObject().put("name", "meet").put("capacity", 0)));
    vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config))
        // sent in the same turn as the deployment completes: the addresses must already be there
        .compose(id -> Future.all(requests.put("jobs", "first"), requests.put("endless", "second"),
            requests.status("meet")))
        .compose(v -> requests.list())
        .map(list -> assertThat(list.getJsonArray("channels")).containsExactlyInAnyOrder(
            freshStatus("jobs", 100).put("size", 1).put("put", 1L),
            freshStatus("endless", null).put("size", 1).put("put", 1L),
            freshStatus("meet", 0)))
        .compose(v -> noHandlers(new HostRequests(vertx).list()))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theHostCanBeDeployedByName(Vertx vertx, VertxTestContext ctx) {
    HostRequests requests = new HostRequests(vertx, "named");
    JsonObject config = new JsonObject().put("address", "named")
        .put("channels", new JsonArray().add(new JsonObject().put("name", "jobs").put("capacity", 3)));
    vertx.deployVerticle("dev.channels.ChannelHostVerticle", new DeploymentOptions().setConfig(config))
        .compose(id -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 3)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void undeployingTheHostFailsWaitingRequestsUnavailableAndLeavesOnlyItsChannelsAddressesHeld(Vertx vertx, VertxTestContext ctx) {
    HostRequests requests = new HostRequests(vertx);
    JsonObject config = new JsonObject()
        .put("channels", new JsonArray().add(new JsonObject().put("name", "jobs").put("capacity", 3)));
    vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config))
        .compose(id -> {
          Future<?> take = refused(requests.channel("jobs", "take").timeout(5_000).send(), UNAVAILABLE, "UNAVAILABLE");
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("takers")).isOne())
              .compose(v -> vertx.undeploy(id))
              .compose(v -> take);
        })
        // the parked channel's address is held for the next host; the registry's is gone
        .compose(v -> refused(requests.status("jobs"), UNAVAILABLE, "UNAVAILABLE"))
        .compose(v -> noHandlers(requests.list()))
        .onComplete(ctx.succeedingThenComplete());
  }
}
