package dev.channels.impl.local;

import dev.channels.impl.core.Timers;
import io.vertx.core.internal.ContextInternal;

/** The timers of a Vert.x context: tasks run on it. */
public final class ContextTimers implements Timers {

  private final ContextInternal context;

  public ContextTimers(ContextInternal context) {
    this.context = context;
  }

  @Override
  public long schedule(long delayMs, Runnable task) {
    return context.setTimer(Math.max(1, delayMs), id -> task.run());
  }

  @Override
  public void cancel(long id) {
    context.owner().cancelTimer(id);
  }
}
