package dev.channels;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

/** The shared behaviour, in process: each channel lives on a context of its own, not the caller's. */
class LocalChannelContractTest extends ChannelContract {

  @Override
  protected Future<Channel<String>> channel(Vertx vertx, String name, int capacity) {
    Promise<Channel<String>> created = ((VertxInternal) vertx).getOrCreateContext().promise();
    ((VertxInternal) vertx).createEventLoopContext()
        .runOnContext(v -> created.complete(Channel.create(vertx, name, capacity)));
    return created.future();
  }
}
