package dev.channels;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;

/** Producers of a remote channel: a host on its own context, a client on the caller's. */
class RemoteChannelProducerContractTest extends ChannelProducerContract {

  @BeforeEach
  void deployHost(Vertx vertx, VertxTestContext test) {
    vertx.deployVerticle(new ChannelHostVerticle()).onComplete(test.succeedingThenComplete());
  }

  @Override
  protected Future<Channel<String>> channel(Vertx vertx, String name, ChannelOptions options) {
    ChannelClient client = ChannelClient.create(vertx);
    return client.create(name, options).map(status -> client.channel(name));
  }
}
