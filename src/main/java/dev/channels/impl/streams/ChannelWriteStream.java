package dev.channels.impl.streams;

import dev.channels.Channel;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.streams.WriteStream;
import java.util.Objects;

/**
 * A {@link WriteStream} over any {@link Channel}, through its interface only: {@code write} is
 * {@link Channel#put}, {@code end} is {@link Channel#close} once every put has completed. So any
 * Vert.x {@code ReadStream} can {@code pipeTo(channel.writeStream())}.
 *
 * <ul>
 *   <li><b>On full</b>: a put that waits for room stays outstanding. {@link #writeQueueFull()} is
 *       true while more than {@link #setWriteQueueMaxSize max} puts are outstanding (default
 *       {@value #DEFAULT_WRITE_QUEUE_MAX_SIZE}); the drain handler is called once their number has
 *       fallen to half of that. Writes are never refused for being over the limit: the limit is a
 *       signal to the writer (a pipe pauses its source), not a bound.
 *   <li><b>On close</b>: {@link #end()} closes the channel after every outstanding put has
 *       completed, so nothing written is lost to its own close. A write after {@code end} fails
 *       {@link IllegalStateException}. If someone else closes the channel, outstanding and later
 *       puts fail {@link dev.channels.ChannelClosedException}, as any failing put does (below).
 *   <li><b>On failure</b>: a failed put fails its write's future and is reported to the exception
 *       handler. {@code end} still closes the channel, and then fails with the first put failure
 *       (or with close's failure).
 * </ul>
 *
 * <p>Handlers run where the channel completes the puts' futures: for the channels of this project,
 * on the context that called {@code write}. The counters are guarded by the stream's monitor, so
 * writes from several threads are safe; handlers are called outside it.
 */
public final class ChannelWriteStream<T> implements WriteStream<T> {

  /** Outstanding puts above which {@link #writeQueueFull()} is true, unless set otherwise. */
  public static final int DEFAULT_WRITE_QUEUE_MAX_SIZE = 16;

  private final Channel<T> channel;
  private final Promise<Void> ended = Promise.promise();
  private int maxOutstanding = DEFAULT_WRITE_QUEUE_MAX_SIZE;
  private int outstanding;
  /** The queue was full since the last drain: the drain handler is owed a call. */
  private boolean drainOwed;
  private boolean ending;
  private Throwable firstFailure;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  public ChannelWriteStream(Channel<T> channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
  }

  @Override
  public Future<Void> write(T item) {
    synchronized (this) {
      if (ending) {
        return Future.failedFuture(new IllegalStateException(
            "channel '" + channel.name() + "': write after the write stream was ended"));
      }
      outstanding++;
      drainOwed |= outstanding > maxOutstanding;
    }
    Future<Void> put = channel.put(item);
    put.onComplete(this::putCompleted); // registered first: our counts are settled before the caller hears
    return put;
  }

  @Override
  public Future<Void> end() {
    boolean closeNow;
    synchronized (this) {
      closeNow = !ending && outstanding == 0;
      ending = true;
    }
    if (closeNow) {
      closeChannel();
    }
    return ended.future();
  }

  @Override
  public synchronized WriteStream<T> setWriteQueueMaxSize(int maxSize) {
    if (maxSize < 0) {
      throw new IllegalArgumentException("write queue max size must be >= 0, not " + maxSize);
    }
    maxOutstanding = maxSize;
    return this;
  }

  @Override
  public synchronized boolean writeQueueFull() {
    return outstanding > maxOutstanding;
  }

  @Override
  public synchronized WriteStream<T> drainHandler(Handler<Void> handler) {
    drainHandler = handler;
    return this;
  }

  @Override
  public synchronized WriteStream<T> exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    return this;
  }

  private void putCompleted(AsyncResult<Void> put) {
    Handler<Throwable> failed = null;
    Handler<Void> drained = null;
    boolean closeNow;
    synchronized (this) {
      outstanding--;
      if (put.failed()) {
        failed = exceptionHandler;
        if (firstFailure == null) {
          firstFailure = put.cause();
        }
      }
      if (drainOwed && outstanding <= maxOutstanding / 2) {
        drainOwed = false;
        drained = drainHandler;
      }
      closeNow = ending && outstanding == 0;
    }
    if (failed != null) {
      failed.handle(put.cause());
    }
    if (drained != null) {
      drained.handle(null);
    }
    if (closeNow) {
      closeChannel();
    }
  }

  /** Called once: when ended with nothing outstanding, or when the last outstanding put completes. */
  private void closeChannel() {
    channel.close().onComplete(closed -> {
      Throwable failure;
      synchronized (this) {
        failure = firstFailure;
      }
      if (closed.failed()) {
        ended.fail(closed.cause());
      } else if (failure != null) {
        ended.fail(failure);
      } else {
        ended.complete();
      }
    });
  }
}
