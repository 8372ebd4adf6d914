package dev.channels.app.bench;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.Future;

/** The host verticle, unchanged, recording the event-loop thread it was given. */
final class ObservedHost extends ChannelHostVerticle {

  private volatile Thread thread;

  Thread thread() {
    return thread;
  }

  @Override
  public Future<?> start() {
    thread = Thread.currentThread();
    return super.start();
  }
}
