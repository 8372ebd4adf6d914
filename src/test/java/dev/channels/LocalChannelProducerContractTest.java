package dev.channels;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

/** Producers of an in-process channel, which lives on a context of its own, not the caller's. */
class LocalChannelProducerContractTest extends ChannelProducerContract {

  @Override
  protected Future<Channel<String>> channel(Vertx vertx, String name, ChannelOptions options) {
    Promise<Channel<String>> created = ((VertxInternal) vertx).getOrCreateContext().promise();
    ((VertxInternal) vertx).createEventLoopContext()
        .runOnContext(v -> created.complete(Channel.create(vertx, name, options)));
    return created.future();
  }
}
