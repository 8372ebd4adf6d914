package dev.channels.impl.local;

import static dev.channels.impl.local.ChannelTesting.afterServedWaitersComplete;
import static dev.channels.impl.local.ChannelTesting.assertFailedWith;
import static dev.channels.impl.local.ChannelTesting.assertPending;
import static dev.channels.impl.local.ChannelTesting.assertSucceeded;
import static dev.channels.impl.local.ChannelTesting.newContext;
import static dev.channels.impl.local.ChannelTesting.runOnNewContext;
import static dev.channels.impl.local.ChannelTesting.startOnNewContext;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import dev.channels.ChannelClosedException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A channel written as a {@link WriteStream}: a pipe from any {@link ReadStream}, backpressure
 * through outstanding puts, the end closing the channel after the last put, and failures.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ChannelWriteStreamTest {

  @Test
  void aPipeDeliversEveryItemInOrderWithBackpressureAndItsEndClosesTheChannel(Vertx vertx, VertxTestContext test) {
    int items = 10_000;
    Channel<Integer> channel = new LocalChannel<>(newContext(vertx), "piped", 10);
    List<Integer> taken = new ArrayList<>();
    Promise<Void> drained = Promise.promise();
    newContext(vertx).runOnContext(v -> takeUntilClosed(channel, taken, drained));
    RecordingWriteStream<Integer> sink = new RecordingWriteStream<>(channel.writeStream());
    Context producer = newContext(vertx);
    producer.runOnContext(v -> new IntRangeStream(producer, items).pipeTo(sink)
        .compose(piped -> drained.future())
        .compose(consumerDone -> channel.join())
        .onComplete(test.succeeding(joined -> test.verify(() -> {
          assertThat(taken).isEqualTo(IntStream.range(0, items).boxed().toList());
          assertThat(channel.isFinished()).isTrue();
          assertThat(sink.timesFull.get()).as("writeQueueFull() was true").isPositive();
          assertThat(sink.drains.get()).as("drain handler calls").isPositive();
          test.completeNow();
        }))));
  }

  @Test
  void writeQueueFullAboveTheMaxSizeAndDrainAtHalfOfIt(Vertx vertx, VertxTestContext test) {
    runOnNewContext(vertx, test, context -> {
      Channel<Integer> channel = Channel.create(vertx, "backpressure", 1);
      WriteStream<Integer> writes = channel.writeStream().setWriteQueueMaxSize(2);
      AtomicInteger drains = new AtomicInteger();
      writes.drainHandler(v -> drains.incrementAndGet());
      assertSucceeded(writes.write(1)); // buffered at once: not outstanding
      writes.write(2);
      writes.write(3);
      assertThat(writes.writeQueueFull()).as("2 outstanding").isFalse();
      writes.write(4);
      assertThat(writes.writeQueueFull()).as("3 outstanding").isTrue();
      channel.take(); // admits 2
      afterServedWaitersComplete(context, test, () -> {
        assertThat(writes.writeQueueFull()).as("2 outstanding").isFalse();
        assertThat(drains).as("2 outstanding is above half of 2").hasValue(0);
        channel.take(); // admits 3
        afterServedWaitersComplete(context, test, () -> assertThat(drains).as("1 outstanding").hasValue(1));
      });
    });
  }

  @Test
  void endClosesTheChannelOnlyAfterEveryOutstandingPutCompleted(Vertx vertx, VertxTestContext test) {
    startOnNewContext(vertx, test, context -> {
      Channel<Integer> channel = Channel.create(vertx, "ending", 1);
      WriteStream<Integer> writes = channel.writeStream();
      writes.write(1);
      writes.write(2);
      writes.write(3);
      Future<Void> ended = writes.end();
      assertPending(ended);
      assertThat(channel.isClosed()).as("puts 2 and 3 still wait").isFalse();
      assertFailedWith(writes.write(4), IllegalStateException.class);
      List<Integer> taken = new ArrayList<>();
      Promise<Void> drained = Promise.promise();
      takeUntilClosed(channel, taken, drained);
      Future.all(ended, drained.future()).onComplete(test.succeeding(done -> test.verify(() -> {
        assertThat(taken).containsExactly(1, 2, 3);
        assertThat(channel.isFinished()).isTrue();
        test.completeNow();
      })));
    });
  }

  @Test
  void aPutFailingBecauseSomeoneElseClosedTheChannelReachesTheExceptionHandlerAndTheEnd(
      Vertx vertx, VertxTestContext test) {
    runOnNewContext(vertx, test, context -> {
      Channel<Integer> channel = Channel.create(vertx, "closed-by-another", 1);
      List<Throwable> reported = new ArrayList<>();
      WriteStream<Integer> writes = channel.writeStream().exceptionHandler(reported::add);
      Future<Void> first = writes.write(1);
      Future<Void> waiting = writes.write(2);
      channel.close(); // by someone else: the waiting put fails
      afterServedWaitersComplete(context, test, () -> {
        assertSucceeded(first);
        assertFailedWith(waiting, ChannelClosedException.class);
        assertThat(reported).containsExactly(waiting.cause());
        Future<Void> late = writes.write(3);
        assertFailedWith(late, ChannelClosedException.class);
        assertThat(reported).containsExactly(waiting.cause(), late.cause());
        Future<Void> ended = writes.end();
        afterServedWaitersComplete(context, test, () -> {
          assertFailedWith(ended, ChannelClosedException.class);
          assertThat(ended.cause()).isSameAs(waiting.cause());
        });
      });
    });
  }

  /** Takes one item at a time until the channel is closed and drained. */
  private static void takeUntilClosed(Channel<Integer> channel, List<Integer> into, Promise<Void> done) {
    channel.take().onComplete(taken -> {
      if (taken.succeeded()) {
        into.add(taken.result());
        takeUntilClosed(channel, into, done);
      } else if (taken.cause() instanceof ChannelClosedException) {
        done.complete();
      } else {
        done.fail(taken.cause());
      }
    });
  }

  /** The integers {@code 0..count-1} as a ReadStream with real demand, emitted on one context. */
  private static final class IntRangeStream implements ReadStream<Integer> {

    private final Context context;
    private final int count;
    private int next;
    private long demand = Long.MAX_VALUE;
    private boolean emitting;
    private boolean ended;
    private Handler<Integer> handler;
    private Handler<Void> endHandler;

    IntRangeStream(Context context, int count) {
      this.context = context;
      this.count = count;
    }

    @Override
    public ReadStream<Integer> handler(Handler<Integer> handler) {
      this.handler = handler;
      emitLater();
      return this;
    }

    @Override
    public ReadStream<Integer> pause() {
      demand = 0;
      return this;
    }

    @Override
    public ReadStream<Integer> resume() {
      return fetch(Long.MAX_VALUE);
    }

    @Override
    public ReadStream<Integer> fetch(long amount) {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      emitLater();
      return this;
    }

    @Override
    public ReadStream<Integer> endHandler(Handler<Void> endHandler) {
      this.endHandler = endHandler;
      emitLater();
      return this;
    }

    @Override
    public ReadStream<Integer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    private void emitLater() {
      context.runOnContext(v -> emit());
    }

    private void emit() {
      if (emitting) {
        return;
      }
      emitting = true;
      while (handler != null && demand > 0 && next < count) {
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(next++);
      }
      emitting = false;
      if (next == count && endHandler != null && !ended) {
        ended = true;
        endHandler.handle(null);
      }
    }
  }

  /** Delegates, counting how often the queue was found full and how often it drained. */
  private static final class RecordingWriteStream<T> implements WriteStream<T> {

    private final WriteStream<T> delegate;
    final AtomicInteger timesFull = new AtomicInteger();
    final AtomicInteger drains = new AtomicInteger();

    RecordingWriteStream(WriteStream<T> delegate) {
      this.delegate = delegate;
    }

    @Override
    public WriteStream<T> exceptionHandler(Handler<Throwable> handler) {
      delegate.exceptionHandler(handler);
      return this;
    }

    @Override
    public Future<Void> write(T data) {
      return delegate.write(data);
    }

    @Override
    public Future<Void> end() {
      return delegate.end();
    }

    @Override
    public WriteStream<T> setWriteQueueMaxSize(int maxSize) {
      delegate.setWriteQueueMaxSize(maxSize);
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      boolean full = delegate.writeQueueFull();
      if (full) {
        timesFull.incrementAndGet();
      }
      return full;
    }

    @Override
    public WriteStream<T> drainHandler(Handler<Void> handler) {
      delegate.drainHandler(handler == null ? null : v -> {
        drains.incrementAndGet();
        handler.handle(v);
      });
      return this;
    }
  }
}
