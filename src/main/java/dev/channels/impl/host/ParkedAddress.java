package dev.channels.impl.host;

import dev.channels.impl.protocol.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

/**
 * Holds a parked channel's address on its node while no host serves it: every request that arrives
 * is refused {@code 421 UNAVAILABLE} ("not served for now"), so the client tries again later.
 *
 * <p>Without it, a request could get no answer at all. In a cluster the other nodes route by their
 * own copy of the registrations, which Vert.x updates some tens of milliseconds after a consumer is
 * unregistered; a message routed meanwhile to a node without a consumer for its address is dropped
 * there, and its sender only learns of it from its own timeout. The parked address is registered
 * before the stopped host's consumer goes, and released only after the next host's consumer is
 * registered, so the node serves the address throughout a restart.
 *
 * <p>It is registered on a context of its own: a consumer registered on the stopping host's context
 * would be unregistered with its deployment.
 */
final class ParkedAddress {

  private final MessageConsumer<Object> consumer;

  private ParkedAddress(MessageConsumer<Object> consumer) {
    this.consumer = consumer;
  }

  /** Registers a consumer of {@code address} refusing every request with {@code detail}; completes once it is registered. */
  static Future<ParkedAddress> hold(Vertx vertx, String address, String detail) {
    ContextInternal own = ((VertxInternal) vertx).createEventLoopContext();
    Promise<ParkedAddress> held = own.promise();
    own.runOnContext(v -> {
      MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, request -> {
        if (request.replyAddress() != null) {
          Failure.UNAVAILABLE.fail(request, detail);
        }
      });
      consumer.completion().map(registered -> new ParkedAddress(consumer)).onComplete(held);
    });
    return held.future();
  }

  /** Unregisters it: from now on, whoever else is registered at the address gets its requests. */
  Future<Void> release() {
    return consumer.unregister();
  }
}
