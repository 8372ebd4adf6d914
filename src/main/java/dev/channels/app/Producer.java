package dev.channels.app;

import dev.channels.protocol.Action;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * Puts the items {@code [first, last)} into a channel over the event bus, a few puts in flight at
 * a time; a put waits while the channel is full, which is the producer's backpressure.
 */
final class Producer extends VerticleBase {

  private static final int IN_FLIGHT = 8;

  private final String channelAddress;
  private final int producer;
  private final int last;
  private final Promise<Void> done = Promise.promise();
  private int next;
  private int acknowledged;

  Producer(String channelAddress, int producer, int first, int last) {
    this.channelAddress = channelAddress;
    this.producer = producer;
    this.next = first;
    this.last = last;
    this.acknowledged = first;
  }

  Future<Void> done() {
    return done.future();
  }

  @Override
  public Future<?> start() {
    if (next == last) {
      done.complete();
    }
    for (int i = 0; i < IN_FLIGHT && next < last; i++) {
      putNext();
    }
    return Future.succeededFuture();
  }

  private void putNext() {
    int id = next++;
    JsonObject item = JsonObject.mapFrom(new Job(id, producer, "job-" + id));
    DeliveryOptions put = Demo.action(Action.PUT);
    vertx.eventBus().request(channelAddress, item, put).onComplete(accepted -> {
      if (accepted.failed()) {
        done.tryFail(accepted.cause());
        return;
      }
      if (++acknowledged == last) {
        done.complete();
      } else if (next < last) {
        putNext();
      }
    });
  }
}
