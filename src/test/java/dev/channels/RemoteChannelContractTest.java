package dev.channels;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;

/**
 * The shared behaviour, over the event bus: a {@link ChannelHostVerticle} on its own context
 * serves the channel, created and used through a {@link ChannelClient} on the caller's context.
 */
class RemoteChannelContractTest extends ChannelContract {

  @BeforeEach
  void deployHost(Vertx vertx, VertxTestContext test) {
    vertx.deployVerticle(new ChannelHostVerticle()).onComplete(test.succeedingThenComplete());
  }

  @Override
  protected Future<Channel<String>> channel(Vertx vertx, String name, int capacity) {
    ChannelClient client = ChannelClient.create(vertx);
    return client.create(name, capacity).map(status -> client.channel(name));
  }
}
