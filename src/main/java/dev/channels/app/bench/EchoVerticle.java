package dev.channels.app.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Phase 1's counterpart of the host: replies to every request with its body, on its own event
 * loop, doing nothing else. Requesters against it give the event bus's request/reply ceiling.
 */
final class EchoVerticle extends VerticleBase {

  static final String ADDRESS = "bench.echo";

  private volatile Thread thread;
  private MessageConsumer<Object> consumer;

  Thread thread() {
    return thread;
  }

  @Override
  public Future<?> start() {
    thread = Thread.currentThread();
    consumer = vertx.eventBus().consumer(ADDRESS, request -> request.reply(request.body()));
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }

  /** One request in flight at a time until {@code tally} is asked to stop; counts the replies. */
  static Future<Void> request(EventBus bus, ProducerTally tally) {
    return AsyncLoop.repeat(tally::stopRequested,
        () -> bus.request(ADDRESS, tally.nextId()).onSuccess(reply -> tally.put(1)), failure -> false, failure -> false);
  }
}
