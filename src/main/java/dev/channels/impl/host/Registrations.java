package dev.channels.impl.host;

import dev.channels.impl.protocol.Failure;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;

/**
 * Unregisters the host's consumers without leaving a request unanswered.
 *
 * <p>Vert.x queues the messages of a consumer on its context; unregistering it discards the ones
 * still queued (and those routed to it meanwhile) with a {@code TIMEOUT} failure, "Discarded the
 * request", which a requester cannot tell from a host that never answered. A request that reached
 * the host gets the host's answer instead: the consumer's discard handler (a public method of
 * Vert.x's consumer implementation) refuses each with the code that says why it was not served. A
 * request sent after the address is gone gets {@code NO_HANDLERS}, as for any unknown channel.
 */
final class Registrations {

  private Registrations() {
  }

  /** Unregisters {@code consumer}; a request still queued for it is refused with {@code failure} and {@code detail}. */
  static Future<Void> unregister(MessageConsumer<Object> consumer, Failure failure, String detail) {
    if (consumer instanceof MessageConsumerImpl<Object> queued) {
      queued.discardHandler(message -> {
        if (message.replyAddress() != null) { // its own answer goes first; Vert.x's TIMEOUT then finds nobody waiting
          failure.fail(message, detail);
        }
      });
    }
    return consumer.unregister();
  }
}
