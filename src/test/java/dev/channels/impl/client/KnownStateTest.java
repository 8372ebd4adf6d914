package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.deployHost;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a client remembers per channel name for the getters of its channels: shared by the
 * channels of a name while any is in use, forgotten once none is, so that many short-lived names
 * do not make the client grow.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class KnownStateTest {

  /** Collects garbage, a bounded number of times, until {@code client} knows at most {@code bound} names. */
  private static int knownNamesAfterGc(EventBusChannelClient client, int bound) {
    int known = client.knownNames();
    for (int round = 0; round < 50 && known > bound; round++) {
      System.gc();
      known = client.knownNames();
    }
    return known;
  }

  @Test
  void aNameWhoseChannelsAreAllUnreachableIsForgottenWhileChannelsInUseShareTheirState(Vertx vertx) {
    deployHost(vertx, new JsonObject()).await();
    ChannelClient.create(vertx).create("kept", 3).await(); // by another client: this one sees it below
    EventBusChannelClient client = new EventBusChannelClient(vertx, new ChannelClientOptions());
    Channel<String> kept = client.channel("kept");
    Channel<String> alsoKept = client.channel("kept");
    kept.status().await();

    for (int i = 0; i < 100_000; i++) {
      client.channel("short-lived-" + i).name(); // used once, then unreachable
    }

    assertThat(knownNamesAfterGc(client, 1)).as("names known after GC").isEqualTo(1);
    assertThat(alsoKept.capacity()).as("seen through the other channel of the name").isEqualTo(3);
    assertThat(client.channel("kept").capacity()).as("a channel made now").isEqualTo(3);
    kept.close().await();
    assertThat(alsoKept.isClosed()).isTrue();
  }

  @Test
  void statusesSeenByCreateAreKeptForTheNamesCreatedLatelyOnly(Vertx vertx) {
    deployHost(vertx, new JsonObject()).await();
    EventBusChannelClient client = new EventBusChannelClient(vertx, new ChannelClientOptions());
    int created = EventBusChannelClient.CREATED_KEPT + 100;
    for (int i = 0; i < created; i++) {
      client.create("created-" + i, 1).await();
    }
    client.list().await();

    assertThat(knownNamesAfterGc(client, EventBusChannelClient.CREATED_KEPT)).as("names known after GC")
        .isLessThanOrEqualTo(EventBusChannelClient.CREATED_KEPT);
    // the usual create(name).onSuccess(status -> client.channel(name)) knows what create saw
    assertThat(client.channel("created-" + (created - 1)).capacity()).isEqualTo(1);
  }
}
