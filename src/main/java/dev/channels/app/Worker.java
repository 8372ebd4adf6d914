package dev.channels.app;

import dev.channels.protocol.Action;
import dev.channels.protocol.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.zip.CRC32;

/**
 * Takes items from a channel over the event bus until the channel ends (CLOSED), processing each
 * (a CRC of its payload) and recording which ids it took.
 */
final class Worker extends VerticleBase {

  private static final int IN_FLIGHT = 4;

  private final String channelAddress;
  private final Promise<Void> done = Promise.promise();
  private final BitSet ids = new BitSet();
  private final CRC32 checksum = new CRC32();
  private long taken;
  private int loopsRunning;

  Worker(String channelAddress) {
    this.channelAddress = channelAddress;
  }

  Future<Void> done() {
    return done.future();
  }

  /** Read after {@link #done()} completed. */
  long taken() {
    return taken;
  }

  /** Read after {@link #done()} completed. */
  BitSet ids() {
    return ids;
  }

  @Override
  public Future<?> start() {
    loopsRunning = IN_FLIGHT;
    for (int i = 0; i < IN_FLIGHT; i++) {
      takeNext();
    }
    return Future.succeededFuture();
  }

  private void takeNext() {
    vertx.eventBus().<JsonObject>request(channelAddress, null, Demo.action(Action.TAKE)).onComplete(reply -> {
      if (reply.succeeded()) {
        process(reply.result());
        takeNext();
      } else if (Demo.failedWith(reply.cause(), Failure.TIMEOUT)) {
        takeNext(); // nothing arrived before the host's deadline: ask again
      } else if (Demo.failedWith(reply.cause(), Failure.CLOSED)) {
        if (--loopsRunning == 0) {
          done.complete();
        }
      } else {
        done.tryFail(reply.cause());
      }
    });
  }

  private void process(Message<JsonObject> item) {
    Job job = item.body().mapTo(Job.class);
    checksum.update(job.payload().getBytes(StandardCharsets.UTF_8));
    ids.set(job.id());
    taken++;
  }
}
