package dev.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Producers attached to a channel ({@link Channel#attach()}), whatever serves it: run against the
 * in-process channel and the remote one. A channel made to close when detached closes once its last
 * producer has detached, exactly as by {@link Channel#close()}; one never attached to does not.
 * Each test runs on a context of its own, checked through the futures, never on a clock.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
public abstract class ChannelProducerContract {

  /** A new, empty, open channel with those options; called on the caller's context. */
  protected abstract Future<Channel<String>> channel(Vertx vertx, String name, ChannelOptions options);

  private static ChannelOptions closingWhenDetached(int capacity) {
    return new ChannelOptions().setCapacity(capacity).setCloseWhenDetached(true);
  }

  @Test
  void theChannelStaysOpenUntilItsLastProducerDetachesThenClosesDrainsAndJoins(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "two-producers", closingWhenDetached(10), channel -> channel.attach().compose(first -> channel.attach()
        .compose(second -> channel.put("a")
            .compose(v -> channel.put("b"))
            .compose(v -> channel.status())
            .map(status -> assertThat(status.producers()).isEqualTo(2))
            .compose(v -> first.close())
            .compose(v -> first.detached())
            .compose(v -> channel.status())
            .map(status -> {
              assertThat(status.closed()).as("one producer is still attached").isFalse();
              assertThat(status.producers()).isEqualTo(1);
              return status;
            })
            .compose(v -> channel.put("c"))
            .compose(v -> second.close())
            .compose(v -> second.detached())
            .compose(v -> channel.status())
            .map(status -> {
              assertThat(status.closed()).as("its last producer detached").isTrue();
              assertThat(status.finished()).as("items are still buffered").isFalse();
              assertThat(status.producers()).isZero();
              return status;
            })
            .compose(v -> failsWith(channel.put("late"), ChannelClosedException.class))
            .compose(v -> all(List.of(channel.take(), channel.take(), channel.take())))
            .map(taken -> assertThat(taken).containsExactly("a", "b", "c"))
            .compose(v -> channel.join())
            .compose(v -> failsWith(channel.take(), ChannelClosedException.class)))));
  }

  @Test
  void putsWaitingWhenTheLastProducerDetachesFailClosed(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "waiting-putter", closingWhenDetached(1), channel -> channel.attach().compose(producer -> channel.put("a")
        .compose(v -> {
          Future<Void> waiting = channel.put("b");
          return channel.status()
              .map(status -> assertThat(status.waitingPutters()).isEqualTo(1))
              .compose(v2 -> producer.close())
              .compose(v2 -> failsWith(waiting, ChannelClosedException.class));
        })
        .compose(v -> channel.take())
        .map(item -> assertThat(item).isEqualTo("a"))
        .compose(v -> channel.join())));
  }

  @Test
  void aChannelNobodyAttachedToDoesNotCloseByItself(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "never-attached", closingWhenDetached(5), channel -> channel.put("a")
        .compose(v -> channel.take())
        .compose(v -> channel.status())
        .map(status -> {
          assertThat(status.closed()).isFalse();
          assertThat(status.producers()).isZero();
          return status;
        })
        .compose(v -> channel.offer("b")));
  }

  @Test
  void aChannelNotMadeToCloseWhenDetachedStaysOpenWhenItsProducersDetach(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "stays-open", new ChannelOptions().setCapacity(5), channel -> channel.attach()
        .compose(ChannelProducer::close)
        .compose(v -> channel.status())
        .map(status -> {
          assertThat(status.closed()).isFalse();
          assertThat(status.producers()).isZero();
          return status;
        })
        .compose(v -> channel.offer("a")));
  }

  @Test
  void attachingToAClosedChannelFailsClosedAndChangesNothing(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "attach-closed", closingWhenDetached(5), channel -> channel.close()
        .compose(v -> failsWith(channel.attach(), ChannelClosedException.class))
        .compose(v -> channel.status())
        .map(status -> assertThat(status.producers()).isZero()));
  }

  @Test
  void aProducerAttachedBeforeACloseStaysAttachedUntilItDetaches(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "attached-at-close", closingWhenDetached(5), channel -> channel.attach().compose(producer -> channel.close()
        .compose(v -> channel.status())
        .map(status -> assertThat(status.producers()).isEqualTo(1))
        .compose(v -> producer.close())
        .compose(v -> channel.status())
        .map(status -> assertThat(status.producers()).isZero())
        .compose(v -> channel.join())));
  }

  @Test
  void detachingTwiceIsHarmless(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "detach-twice", closingWhenDetached(5), channel -> channel.attach().compose(first -> channel.attach()
        .compose(second -> first.close()
            .compose(v -> first.close())
            .compose(v -> channel.status())
            .map(status -> {
              assertThat(status.producers()).as("the second close detached nobody else").isEqualTo(1);
              assertThat(status.closed()).isFalse();
              return status;
            })
            .compose(v -> second.close())
            .compose(v -> second.close())
            .compose(v -> channel.status())
            .map(status -> {
              assertThat(status.producers()).isZero();
              assertThat(status.closed()).isTrue();
              return status;
            })
            .compose(v -> second.detached()))));
  }

  private void run(Vertx vertx, VertxTestContext test, String name, ChannelOptions options,
      Function<Channel<String>, Future<?>> body) {
    ((VertxInternal) vertx).createEventLoopContext().runOnContext(v -> {
      Future<?> outcome;
      try {
        outcome = channel(vertx, name, options).compose(body::apply);
      } catch (Throwable failure) {
        outcome = Future.failedFuture(failure);
      }
      outcome.onComplete(test.succeedingThenComplete());
    });
  }

  private static Future<Void> failsWith(Future<?> future, Class<? extends Throwable> type) {
    return future.transform(outcome -> {
      assertThat(outcome.succeeded()).as("expected a %s, but it succeeded", type.getSimpleName()).isFalse();
      assertThat(outcome.cause()).isInstanceOf(type);
      return Future.succeededFuture();
    });
  }

  private static <T> Future<List<T>> all(List<Future<T>> futures) {
    return Future.all(futures).map(all -> all.list());
  }
}
