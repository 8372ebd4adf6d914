package dev.channels.impl.local;

import dev.channels.ChannelProducer;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/** A producer attached to a {@link LocalChannel}: no lease; attached until closed. */
final class LocalProducer implements ChannelProducer {

  private final LocalChannel<?> channel;
  private final Promise<Void> detached = Promise.promise();
  /** Confined to the channel's context. */
  private boolean attached = true;

  LocalProducer(LocalChannel<?> channel) {
    this.channel = channel;
  }

  @Override
  public Future<Void> close() {
    return channel.onChannelContext(() -> {
      if (attached) {
        attached = false;
        channel.state().producerDetached(); // the last one may close the channel
        detached.complete();
      }
      return channel.done();
    });
  }

  @Override
  public Future<Void> detached() {
    return detached.future();
  }

  @Override
  public String toString() {
    return "LocalProducer[" + channel.name() + (attached ? ", attached]" : ", detached]");
  }
}
