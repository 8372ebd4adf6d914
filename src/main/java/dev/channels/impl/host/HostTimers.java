package dev.channels.impl.host;

import dev.channels.impl.core.Timers;

/** A hosted channel's timers: on the context of whichever host serves it. */
record HostTimers(HostedChannel channel) implements Timers {

  @Override
  public long schedule(long delayMs, Runnable task) {
    return channel.vertx().setTimer(Math.max(1, delayMs), id -> task.run());
  }

  @Override
  public void cancel(long id) {
    channel.vertx().cancelTimer(id);
  }
}
