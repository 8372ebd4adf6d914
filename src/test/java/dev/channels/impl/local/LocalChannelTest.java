package dev.channels.impl.local;

import static dev.channels.impl.local.ChannelTesting.afterServedWaitersComplete;
import static dev.channels.impl.local.ChannelTesting.assertFailedWith;
import static dev.channels.impl.local.ChannelTesting.assertPending;
import static dev.channels.impl.local.ChannelTesting.assertSucceeded;
import static dev.channels.impl.local.ChannelTesting.assertSucceededWith;
import static dev.channels.impl.local.ChannelTesting.newContext;
import static dev.channels.impl.local.ChannelTesting.runOnNewContext;
import static dev.channels.impl.local.ChannelTesting.startOnNewContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.channels.Channel;
import dev.channels.ChannelClosedException;
import dev.channels.ChannelEmptyException;
import dev.channels.ChannelFullException;
import dev.channels.ChannelStatus;
import dev.channels.ChannelTimeoutException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The in-process channel, behaviour by behaviour. Most tests run on the channel's own context,
 * where every call completes or parks its future before it returns, and a waiter it serves is
 * settled at once but told in a later turn, in service order (see {@link ChannelTesting}). So the
 * channel's state is checked right after each call, and the served waiters' outcomes and their
 * order one turn later, exactly, without waiting on a clock.
 *
 * <p>What every channel does, in process or remote, is specified once by {@code
 * dev.channels.ChannelContract} (run here by {@code LocalChannelContractTest}); this class keeps
 * what is particular to the in-process channel: what has completed when a call returns, when a
 * served waiter is told, and calls from other contexts and threads.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class LocalChannelTest {

  private static ChannelStatus statusOf(Channel<?> channel) {
    Future<ChannelStatus> status = channel.status();
    assertSucceeded(status);
    return status.result();
  }

  private static List<Future<String>> takes(Channel<String> channel, int count) {
    List<Future<String>> takes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      takes.add(channel.take());
    }
    return takes;
  }

  /** The indexes of {@code futures}, in the order the futures complete from now on. */
  private static List<Integer> completionOrder(List<? extends Future<?>> futures) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      int index = i;
      futures.get(i).onComplete(ar -> order.add(index));
    }
    return order;
  }

  private static List<Integer> upTo(int count) {
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      indexes.add(i);
    }
    return indexes;
  }

  /**
   * On the channel's own context every operation that can complete now has completed when it
   * returns, whatever its outcome. The outcomes themselves, shared with the remote channel, are
   * specified by {@code dev.channels.ChannelContract}.
   */
  @Nested
  class AtOnce {

    @Test
    void operationsThatCanCompleteNowHaveCompletedWhenTheyReturn(Vertx vertx, VertxTestContext test) {
      runOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "at-once", 2);
        assertSucceeded(channel.put("a"));
        assertSucceeded(channel.offer("b"));
        assertFailedWith(channel.offer("c"), ChannelFullException.class);
        assertFailedWith(channel.put("c", Duration.ZERO), ChannelTimeoutException.class);
        assertSucceededWith(channel.take(), "a");
        assertSucceededWith(channel.take(Duration.ZERO), "b");
        assertFailedWith(channel.poll(), ChannelEmptyException.class);
        assertFailedWith(channel.take(Duration.ZERO), ChannelTimeoutException.class);
        assertSucceededWith(channel.putAll(List.of("x", "y")), 2);
        assertSucceededWith(channel.take(5), List.of("x", "y"));
        assertFailedWith(channel.put(null), NullPointerException.class);
        assertFailedWith(channel.putAll(null), NullPointerException.class);
        assertFailedWith(channel.put("a", null), IllegalArgumentException.class);
        assertFailedWith(channel.take(Duration.ofMillis(-1)), IllegalArgumentException.class);
        assertFailedWith(channel.take(0), IllegalArgumentException.class);
        assertSucceededWith(channel.status(), new ChannelStatus("at-once", 2, 0, false, false, 0, 0, 4, 4, 0));
        assertSucceeded(channel.put("z"));

        assertSucceeded(channel.close());
        assertThat(channel.isClosed()).isTrue();
        assertFailedWith(channel.put("after"), ChannelClosedException.class);
        assertFailedWith(channel.offer("after"), ChannelClosedException.class);
        assertFailedWith(channel.putAll(List.of("after")), ChannelClosedException.class);
        assertThat(channel.isFinished()).isFalse();
        assertSucceededWith(channel.poll(), "z");
        assertThat(channel.isFinished()).isTrue();
        assertFailedWith(channel.take(), ChannelClosedException.class);
        assertFailedWith(channel.poll(), ChannelClosedException.class);
        assertFailedWith(channel.take(5), ChannelClosedException.class);
        assertSucceeded(channel.join());
        assertSucceeded(channel.close());
      });
    }
  }

  @Nested
  class Fifo {

    @Test
    void waitingTakersAreServedOldestFirst(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "takers", 5);
        List<Future<String>> takes = takes(channel, 3);
        List<Integer> completed = completionOrder(takes);
        takes.forEach(ChannelTesting::assertPending);
        assertThat(statusOf(channel).waitingTakers()).isEqualTo(3);

        assertSucceeded(channel.put("a"));
        // handed to the oldest taker within the put; the taker is told in a later turn
        assertThat(statusOf(channel).waitingTakers()).isEqualTo(2);
        assertThat(channel.size()).isZero();
        takes.forEach(ChannelTesting::assertPending);

        afterServedWaitersComplete(context, test, () -> {
          assertSucceededWith(takes.get(0), "a");
          assertPending(takes.get(1));
          assertSucceeded(channel.put("b"));
          assertSucceeded(channel.offer("c"));
          assertThat(statusOf(channel).waitingTakers()).isZero();
          assertThat(channel.size()).isZero();

          afterServedWaitersComplete(context, test, () -> {
            assertSucceededWith(takes.get(1), "b");
            assertSucceededWith(takes.get(2), "c");
            assertThat(completed).containsExactly(0, 1, 2);
            test.completeNow();
          });
        });
      });
    }

    @Test
    void waitingPuttersAreAdmittedOldestFirst(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "putters", 1);
        assertSucceeded(channel.put("x"));
        Future<Void> putA = channel.put("a");
        Future<Void> putB = channel.put("b");
        Future<Void> putC = channel.put("c");
        List<Integer> completed = completionOrder(List.of(putA, putB, putC));
        assertThat(statusOf(channel).waitingPutters()).isEqualTo(3);

        assertSucceededWith(channel.take(), "x");
        // "a" took the freed slot within the take; its putter is told in a later turn
        assertThat(statusOf(channel).waitingPutters()).isEqualTo(2);
        assertThat(channel.size()).isEqualTo(1);
        assertPending(putA);

        afterServedWaitersComplete(context, test, () -> {
          assertSucceeded(putA);
          assertPending(putB);
          assertPending(putC);
          assertSucceededWith(channel.poll(), "a");

          afterServedWaitersComplete(context, test, () -> {
            assertSucceeded(putB);
            assertPending(putC);
            assertSucceededWith(channel.take(), "b");

            afterServedWaitersComplete(context, test, () -> {
              assertSucceeded(putC);
              assertSucceededWith(channel.take(), "c");
              assertThat(statusOf(channel).waitingPutters()).isZero();
              assertThat(completed).containsExactly(0, 1, 2);
              test.completeNow();
            });
          });
        });
      });
    }
  }

  @Nested
  class ServedWaiters {

    @Test
    void theServingCallerRunsOnBeforeTheServedWaiterIsTold(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "runs-on", 2);
        List<String> events = new ArrayList<>();
        Future<String> take = channel.take();
        take.onComplete(ar -> events.add("taker got " + ar.result()));

        assertSucceeded(channel.put("a"));
        events.add("putter ran on");
        // the taker is no longer waiting: these two go into the buffer
        assertSucceeded(channel.put("b"));
        assertSucceeded(channel.put("c"));
        events.add("putter filled the buffer");

        assertThat(statusOf(channel))
            .isEqualTo(new ChannelStatus("runs-on", 2, 2, false, false, 0, 0, 3, 1, 0));
        assertPending(take);
        afterServedWaitersComplete(context, test, () -> {
          assertSucceededWith(take, "a");
          assertThat(events).containsExactly("putter ran on", "putter filled the buffer", "taker got a");
          test.completeNow();
        });
      });
    }

    @Test
    void waitersServedInOneTurnAreToldInTheOrderTheyWereServed(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> takers = Channel.create(vertx, "order-takers", 1);
        Channel<String> putters = Channel.create(vertx, "order-putters", 1);
        List<String> told = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          String taker = "taker " + i;
          takers.take().onComplete(ar -> told.add(taker + " got " + ar.result()));
        }
        putters.put("x");
        for (int i = 0; i < 2; i++) {
          String putter = "putter " + i;
          putters.put("p" + i).onComplete(ar -> told.add(putter + " admitted"));
        }

        // serve them alternately, across the two channels, all in this turn
        takers.put("a");
        assertSucceededWith(putters.take(), "x");
        takers.put("b");
        assertSucceededWith(putters.take(), "p0");
        assertThat(told).isEmpty();

        afterServedWaitersComplete(context, test, () -> {
          assertThat(told).containsExactly("taker 0 got a", "putter 0 admitted", "taker 1 got b", "putter 1 admitted");
          test.completeNow();
        });
      });
    }
  }

  @Nested
  class HandOff {

    @Test
    void aPutWhileTakersWaitGoesStraightToTheOldestTaker(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "handoff", 10);
        Future<String> oldest = channel.take();
        Future<String> younger = channel.take();

        assertSucceeded(channel.put("a"));

        // the hand-over is done within the put: the item never entered the buffer
        ChannelStatus status = statusOf(channel);
        assertThat(status.size()).isZero();
        assertThat(status.waitingTakers()).isEqualTo(1);
        assertThat(status.totalPut()).isEqualTo(1);
        assertThat(status.totalTaken()).isEqualTo(1);
        assertPending(oldest);
        afterServedWaitersComplete(context, test, () -> {
          assertSucceededWith(oldest, "a");
          assertPending(younger);
          test.completeNow();
        });
      });
    }

    @Test
    void anItemHandedToAWaitingTakerCannotBeStolenByANewcomerPoll(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "nobarging-take", 10);
        Future<String> waiting = channel.take();
        Future<Void> put = channel.put("a");
        // the waiting taker has not been told yet, but the item is already its own
        Future<String> newcomer = channel.poll();

        assertSucceeded(put);
        assertFailedWith(newcomer, ChannelEmptyException.class);
        assertPending(waiting);
        afterServedWaitersComplete(context, test, () -> {
          assertSucceededWith(waiting, "a");
          test.completeNow();
        });
      });
    }

    @Test
    void aTakeOnAFullChannelAdmitsTheOldestWaitingPuttersItem(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "admit", 2);
        channel.put("a");
        channel.put("b");
        Future<Void> waitingPut = channel.put("c");
        assertPending(waitingPut);

        assertSucceededWith(channel.take(), "a");

        // the freed slot went to the waiting putter within the take itself; it is told later
        assertThat(channel.size()).isEqualTo(2);
        assertThat(statusOf(channel).waitingPutters()).isZero();
        assertThat(statusOf(channel).totalPut()).isEqualTo(3);
        assertPending(waitingPut);
        afterServedWaitersComplete(context, test, () -> {
          assertSucceeded(waitingPut);
          test.completeNow();
        });
      });
    }

    @Test
    void aNewcomerOfferCannotStealTheSlotFreedForAWaitingPutter(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "nobarging-put", 1);
        channel.put("a");
        Future<Void> waitingPut = channel.put("b");

        assertSucceededWith(channel.poll(), "a");
        // the waiting putter has not been told yet, but the slot is already its item's
        Future<Void> newcomerOffer = channel.offer("newcomer");
        Future<Void> newcomerPut = channel.put("newcomer-put", Duration.ZERO);

        assertFailedWith(newcomerOffer, ChannelFullException.class);
        assertFailedWith(newcomerPut, ChannelTimeoutException.class);
        assertPending(waitingPut);
        afterServedWaitersComplete(context, test, () -> {
          assertSucceeded(waitingPut);
          assertSucceededWith(channel.poll(), "b");
          assertFailedWith(channel.poll(), ChannelEmptyException.class);
          test.completeNow();
        });
      });
    }

    @Test
    void aNewcomerPollGetsTheOlderBufferedItemNotTheAdmittedOne(Vertx vertx, VertxTestContext test) {
      runOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "admitted-last", 2);
        channel.put("a");
        channel.put("b");
        channel.put("c");
        assertSucceededWith(channel.take(), "a");
        assertSucceededWith(channel.poll(), "b");
        assertSucceededWith(channel.poll(), "c");
      });
    }
  }


  @Nested
  class Close {

    @Test
    void hundredTakersWaitingAtCloseAllFailWithClosed(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "takers-at-close", 10);
        List<Future<String>> takes = takes(channel, 100);
        List<Integer> completed = completionOrder(takes);
        assertThat(statusOf(channel).waitingTakers()).isEqualTo(100);

        assertSucceeded(channel.close());

        // the takers are gone at once; each is told in a later turn, oldest first
        ChannelStatus status = statusOf(channel);
        assertThat(status.waitingTakers()).isZero();
        assertThat(status.closed()).isTrue();
        assertThat(status.finished()).isTrue();
        assertThat(status.totalTaken()).isZero();
        takes.forEach(ChannelTesting::assertPending);
        afterServedWaitersComplete(context, test, () -> {
          takes.forEach(take -> assertFailedWith(take, ChannelClosedException.class));
          assertThat(completed).isEqualTo(upTo(100));
          test.completeNow();
        });
      });
    }

    @Test
    void hundredPuttersWaitingAtCloseAllFailWithClosedAndNoneOfTheirItemsAppear(
        Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "putters-at-close", 3);
        List.of("buffered-1", "buffered-2", "buffered-3").forEach(channel::put);
        List<Future<Void>> puts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          puts.add(channel.put("blocked-" + i));
        }
        List<Integer> completed = completionOrder(puts);
        puts.forEach(ChannelTesting::assertPending);
        assertThat(statusOf(channel).waitingPutters()).isEqualTo(100);

        assertSucceeded(channel.close());

        // the putters are gone at once; each is told in a later turn, oldest first
        ChannelStatus status = statusOf(channel);
        assertThat(status.waitingPutters()).isZero();
        assertThat(status.totalPut()).isEqualTo(3);
        assertThat(status.size()).isEqualTo(3);
        assertThat(status.finished()).isFalse();
        puts.forEach(ChannelTesting::assertPending);
        afterServedWaitersComplete(context, test, () -> {
          puts.forEach(put -> assertFailedWith(put, ChannelClosedException.class));
          assertThat(completed).isEqualTo(upTo(100));
          List<String> drained = new ArrayList<>();
          for (Future<String> take = channel.take(); take.succeeded(); take = channel.take()) {
            drained.add(take.result());
          }
          assertThat(drained).containsExactly("buffered-1", "buffered-2", "buffered-3");
          assertThat(statusOf(channel).totalPut()).isEqualTo(3);
          assertThat(channel.isFinished()).isTrue();
          test.completeNow();
        });
      });
    }

    @Test
    void closingTwiceWithWaitersPendingFailsEachWaiterExactlyOnce(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> takersChannel = Channel.create(vertx, "twice-takers", 1);
        Channel<String> puttersChannel = Channel.create(vertx, "twice-putters", 1);
        puttersChannel.put("buffered");
        int[] takerCallbacks = new int[5];
        int[] putterCallbacks = new int[5];
        for (int i = 0; i < 5; i++) {
          int index = i;
          takersChannel.take().onComplete(ar -> test.verify(() -> {
            assertThat(ar.cause()).isInstanceOf(ChannelClosedException.class);
            takerCallbacks[index]++;
          }));
          puttersChannel.put("blocked-" + i).onComplete(ar -> test.verify(() -> {
            assertThat(ar.cause()).isInstanceOf(ChannelClosedException.class);
            putterCallbacks[index]++;
          }));
        }

        assertSucceeded(takersChannel.close());
        assertSucceeded(takersChannel.close());
        assertSucceeded(puttersChannel.close());
        ChannelStatus afterFirst = statusOf(puttersChannel);
        assertSucceeded(puttersChannel.close());

        assertThat(takerCallbacks).containsOnly(0);
        assertThat(putterCallbacks).containsOnly(0);
        assertThat(statusOf(puttersChannel)).isEqualTo(afterFirst);
        assertThat(takersChannel.isClosed()).isTrue();
        assertThat(takersChannel.isFinished()).isTrue();
        // every failure either close could have sent is queued ahead of the next step
        afterServedWaitersComplete(context, test, () -> {
          assertThat(takerCallbacks).containsOnly(1);
          assertThat(putterCallbacks).containsOnly(1);
          assertSucceededWith(puttersChannel.take(), "buffered");
          assertFailedWith(puttersChannel.take(), ChannelClosedException.class);
          test.completeNow();
        });
      });
    }

    @Test
    void closingAnEmptyChannelFinishesItAtOnce(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "empty-close", 10);
        Future<Void> join = channel.join();
        assertPending(join);

        assertSucceeded(channel.close());

        assertThat(channel.isFinished()).isTrue();
        ChannelStatus status = statusOf(channel);
        assertThat(status.closed()).isTrue();
        assertThat(status.finished()).isTrue();
        assertPending(join); // told a turn later, like a served waiter
        assertSucceeded(channel.join()); // a join after the end is complete at once
        afterServedWaitersComplete(context, test, () -> {
          assertSucceeded(join);
          test.completeNow();
        });
      });
    }
  }

  @Nested
  class Join {

    @Test
    void joinBeforeFinishCompletesExactlyOnceWhenClosedAndDrained(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "join-before", 10);
        channel.put("a");
        channel.put("b");
        int[] completions = new int[1];
        Future<Void> join = channel.join();
        join.onComplete(ar -> completions[0]++);

        channel.close();
        assertPending(join);
        assertThat(channel.isFinished()).isFalse();
        channel.take();
        assertPending(join);
        channel.take();
        assertThat(channel.isFinished()).isTrue();

        afterServedWaitersComplete(context, test, () -> {
          assertSucceeded(join);
          assertThat(completions[0]).isEqualTo(1);

          channel.close();
          channel.take();
          channel.poll();
          channel.put("c");
          channel.offer("d");
          afterServedWaitersComplete(context, test, () -> {
            assertThat(completions[0]).isEqualTo(1);
            assertThat(channel.isFinished()).isTrue();
            assertThat(statusOf(channel).finished()).isTrue();
            test.completeNow();
          });
        });
      });
    }

    @Test
    void joinFromAnotherContextCompletesOnThatContextWhenFinished(Vertx vertx, VertxTestContext test) {
      Context channelContext = newContext(vertx);
      Context joinerContext = newContext(vertx);
      Checkpoint joined = test.checkpoint();
      channelContext.runOnContext(v -> {
        Channel<String> channel = Channel.create(vertx, "join-elsewhere", 10);
        channel.put("a");
        joinerContext.runOnContext(w -> channel.join().onComplete(test.succeeding(done -> test.verify(() -> {
          assertThat(Vertx.currentContext()).isSameAs(joinerContext);
          assertThat(channel.isFinished()).isTrue();
          joined.flag();
        }))));
        // finish only once the joiner has registered (its request reaches the channel after ours)
        joinerContext.runOnContext(w -> channelContext.runOnContext(x -> {
          channel.close();
          channel.take();
        }));
      });
    }
  }

  @Nested
  class Rendezvous {

    @Test
    void aPutCompletesOnlyWhenATakerHasReceivedTheItem(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "rendezvous", 0);
        assertThat(channel.capacity()).isZero();

        Future<Void> put = channel.put("a");
        assertPending(put);
        assertThat(channel.size()).isZero();
        assertThat(statusOf(channel).waitingPutters()).isEqualTo(1);
        assertThat(statusOf(channel).totalPut()).isZero();

        Future<String> take = channel.take();

        // the taker has the item at once; the putter is told in a later turn
        assertSucceededWith(take, "a");
        assertPending(put);
        assertThat(channel.size()).isZero();
        assertThat(statusOf(channel).waitingPutters()).isZero();
        assertThat(statusOf(channel).totalPut()).isEqualTo(1);
        assertThat(statusOf(channel).totalTaken()).isEqualTo(1);
        afterServedWaitersComplete(context, test, () -> {
          assertSucceeded(put);
          test.completeNow();
        });
      });
    }

    @Test
    void aPutToAWaitingTakerCompletesAtOnce(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "rendezvous-taker", 0);
        Future<String> take = channel.take();
        assertPending(take);
        assertThat(channel.size()).isZero();

        assertSucceeded(channel.put("a"));
        assertThat(channel.size()).isZero();
        assertThat(statusOf(channel).waitingTakers()).isZero();
        assertThat(statusOf(channel).totalTaken()).isEqualTo(1);
        assertPending(take);
        afterServedWaitersComplete(context, test, () -> {
          assertSucceededWith(take, "a");
          test.completeNow();
        });
      });
    }

    @Test
    void offerFailsFullWithoutAWaitingTaker(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "rendezvous-offer", 0);
        assertFailedWith(channel.offer("a"), ChannelFullException.class);
        assertFailedWith(channel.put("a", Duration.ZERO), ChannelTimeoutException.class);
        assertThat(statusOf(channel).totalPut()).isZero();

        Future<String> take = channel.take();
        assertSucceeded(channel.offer("b"));
        // the taker is served (though not yet told): no one waits for the next offer
        assertFailedWith(channel.offer("c"), ChannelFullException.class);
        assertPending(take);
        afterServedWaitersComplete(context, test, () -> {
          assertSucceededWith(take, "b");
          assertFailedWith(channel.offer("d"), ChannelFullException.class);
          test.completeNow();
        });
      });
    }

    @Test
    void pollFailsEmptyWithoutAWaitingPutter(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "rendezvous-poll", 0);
        assertFailedWith(channel.poll(), ChannelEmptyException.class);
        assertFailedWith(channel.take(Duration.ZERO), ChannelTimeoutException.class);

        Future<Void> put = channel.put("a");
        assertSucceededWith(channel.poll(), "a");
        // the putter is served (though not yet told): nothing is left for the next poll
        assertFailedWith(channel.poll(), ChannelEmptyException.class);
        assertPending(put);
        afterServedWaitersComplete(context, test, () -> {
          assertSucceeded(put);
          test.completeNow();
        });
      });
    }

    @Test
    void waitingPuttersAreServedOldestFirstAndTheSizeStaysZero(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<Integer> channel = Channel.create(vertx, "rendezvous-fifo", 0);
        List<Future<Void>> puts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          puts.add(channel.put(i));
          assertThat(channel.size()).isZero();
        }
        List<Integer> completed = completionOrder(puts);
        takeInTurns(context, test, channel, puts, 0, completed);
      });
    }

    /** Takes item {@code i}; a turn later, exactly the putters of items 0 to i have been told. */
    private void takeInTurns(Context context, VertxTestContext test, Channel<Integer> channel,
        List<Future<Void>> puts, int i, List<Integer> completed) {
      assertSucceededWith(channel.take(), i);
      assertThat(channel.size()).isZero();
      assertThat(statusOf(channel).size()).isZero();
      assertThat(statusOf(channel).waitingPutters()).isEqualTo(puts.size() - 1 - i);
      assertPending(puts.get(i));
      afterServedWaitersComplete(context, test, () -> {
        for (int j = 0; j < puts.size(); j++) {
          assertThat(puts.get(j).succeeded()).as("put %d after take %d", j, i).isEqualTo(j <= i);
        }
        if (i + 1 < puts.size()) {
          takeInTurns(context, test, channel, puts, i + 1, completed);
        } else {
          assertThat(completed).isEqualTo(upTo(puts.size()));
          test.completeNow();
        }
      });
    }

    @Test
    void closeFailsAWaitingPutterAndFinishesAtOnce(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "rendezvous-close", 0);
        Future<Void> put = channel.put("a");
        channel.close();
        // the putter's item is dropped at once; the putter is told in a later turn
        assertThat(channel.isFinished()).isTrue();
        assertThat(statusOf(channel).waitingPutters()).isZero();
        assertFailedWith(channel.take(), ChannelClosedException.class);
        assertThat(statusOf(channel).totalPut()).isZero();
        assertPending(put);
        afterServedWaitersComplete(context, test, () -> {
          assertFailedWith(put, ChannelClosedException.class);
          test.completeNow();
        });
      });
    }
  }

  @Nested
  class Unbounded {

    @Test
    void putsNeverWait(Vertx vertx, VertxTestContext test) {
      runOnNewContext(vertx, test, context -> {
        Channel<Integer> channel = Channel.unbounded(vertx, "unbounded");
        assertThat(channel.capacity()).isEqualTo(Channel.UNBOUNDED);
        assertThat(statusOf(channel).unbounded()).isTrue();
        for (int i = 0; i < 100_000; i++) {
          assertSucceeded(channel.put(i));
        }
        assertSucceeded(channel.offer(100_000));
        assertThat(channel.size()).isEqualTo(100_001);
        assertThat(statusOf(channel).waitingPutters()).isZero();
        for (int i = 0; i <= 100_000; i++) {
          assertSucceededWith(channel.poll(), i);
        }
      });
    }
  }

  @Nested
  class Timeouts {

    @Test
    void aTimedTakeOnAnIdleChannelFailsWithTimeoutAndLeavesNoWaiter(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "timed-take", 10);
        Future<String> take = channel.take(Duration.ofMillis(20));
        assertThat(statusOf(channel).waitingTakers()).isEqualTo(1);
        take.onComplete(test.failing(cause -> test.verify(() -> {
          assertThat(cause).isInstanceOf(ChannelTimeoutException.class).hasMessageContaining("'timed-take'");
          assertThat(statusOf(channel).waitingTakers()).isZero();
          // the timed-out take is gone: a later item stays in the channel
          channel.put("a");
          assertThat(channel.size()).isEqualTo(1);
          assertThat(statusOf(channel).totalTaken()).isZero();
          test.completeNow();
        })));
      });
    }

    @Test
    void tenThousandTimedTakesOnAnIdleChannelLeaveZeroWaitingTakers(Vertx vertx, VertxTestContext test) {
      int count = 10_000;
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "many-timed-takes", 10);
        int[] timedOut = new int[1];
        for (int i = 0; i < count; i++) {
          channel.take(Duration.ofMillis(50)).onComplete(ar -> test.verify(() -> {
            assertThat(ar.cause()).isInstanceOf(ChannelTimeoutException.class);
            if (++timedOut[0] == count) {
              ChannelStatus status = statusOf(channel);
              assertThat(status.waitingTakers()).isZero();
              assertThat(status.totalTaken()).isZero();
              channel.put("after");
              assertThat(channel.size()).isEqualTo(1);
              test.completeNow();
            }
          }));
        }
        assertThat(statusOf(channel).waitingTakers()).isEqualTo(count);
      });
    }

    @Test
    void aTimedOutPutsItemIsNeverEnqueued(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "timed-put", 1);
        channel.put("a");
        Future<Void> put = channel.put("b", Duration.ofMillis(20));
        assertThat(statusOf(channel).waitingPutters()).isEqualTo(1);
        put.onComplete(test.failing(cause -> test.verify(() -> {
          assertThat(cause).isInstanceOf(ChannelTimeoutException.class).hasMessageContaining("'timed-put'");
          ChannelStatus status = statusOf(channel);
          assertThat(status.waitingPutters()).isZero();
          assertThat(status.totalPut()).isEqualTo(1);
          assertThat(status.size()).isEqualTo(1);
          assertSucceededWith(channel.take(), "a");
          assertFailedWith(channel.poll(), ChannelEmptyException.class);
          test.completeNow();
        })));
      });
    }

    @Test
    void aTimedWaiterServedBeforeItsDeadlineSucceedsAndNeverTimesOutLater(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "timed-served", 1);
        int[] takeCallbacks = new int[1];
        int[] putCallbacks = new int[1];
        Future<String> take = channel.take(Duration.ofMillis(30));
        take.onComplete(ar -> takeCallbacks[0]++);
        channel.put("a");
        channel.put("b");
        Future<Void> put = channel.put("c", Duration.ofMillis(30));
        put.onComplete(ar -> putCallbacks[0]++);
        channel.take();
        assertPending(take);
        assertPending(put);
        afterServedWaitersComplete(context, test, () -> {
          assertSucceededWith(take, "a");
          assertSucceeded(put);
          // outlive both deadlines: a timer that fired now would be a second completion
          vertx.setTimer(100, id -> test.verify(() -> {
            assertThat(takeCallbacks[0]).isEqualTo(1);
            assertThat(putCallbacks[0]).isEqualTo(1);
            assertThat(statusOf(channel).totalPut()).isEqualTo(3);
            assertSucceededWith(channel.poll(), "c");
            test.completeNow();
          }));
        });
      });
    }

    @Test
    void aTimedOutTakerInTheMiddleKeepsTheOthersInOrder(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "timed-middle", 10);
        Future<String> first = channel.take();
        Future<String> middle = channel.take(Duration.ofMillis(20));
        Future<String> last = channel.take();
        middle.onComplete(test.failing(cause -> test.verify(() -> {
          assertThat(cause).isInstanceOf(ChannelTimeoutException.class);
          channel.put("a");
          channel.put("b");
          assertThat(statusOf(channel).waitingTakers()).isZero();
          assertThat(channel.size()).isZero();
          assertPending(first);
          assertPending(last);
          afterServedWaitersComplete(context, test, () -> {
            assertSucceededWith(first, "a");
            assertSucceededWith(last, "b");
            test.completeNow();
          });
        })));
      });
    }

    @Test
    void aSubMillisecondTimeoutStillWaits(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "sub-ms", 1);
        Future<String> take = channel.take(Duration.ofNanos(1));
        assertPending(take);
        channel.put("a");
        assertThat(channel.size()).isZero();
        assertPending(take);
        afterServedWaitersComplete(context, test, () -> {
          assertSucceededWith(take, "a");
          test.completeNow();
        });
      });
    }
  }

  @Nested
  class NullItems {

    @Test
    void nullItemsAreRejectedAndChangeNothing(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "nulls", 1);
        Future<String> waitingTake = channel.take();
        ChannelStatus before = statusOf(channel);

        for (Future<Void> put : List.of(channel.put(null), channel.offer(null),
            channel.put(null, Duration.ofSeconds(1)), channel.put(null, Duration.ZERO))) {
          assertFailedWith(put, NullPointerException.class);
          assertThat(put.cause()).hasMessageContaining("null").hasMessageContaining("'nulls'");
        }

        assertThat(statusOf(channel)).isEqualTo(before);
        assertPending(waitingTake);
        channel.put("a");
        assertThat(statusOf(channel).waitingTakers()).isZero();
        assertPending(waitingTake);
        afterServedWaitersComplete(context, test, () -> {
          assertSucceededWith(waitingTake, "a");
          test.completeNow();
        });
      });
    }
  }

  @Nested
  class Status {

    @Test
    void countsIncludeHandOffsAndExcludeFailedOrTimedOutPuts(Vertx vertx, VertxTestContext test) {
      startOnNewContext(vertx, test, context -> {
        Channel<String> channel = Channel.create(vertx, "counts", 2);
        Future<String> waiting = channel.take();
        channel.put("handed-off");            // put 1, taken 1
        assertPending(waiting);               // told in a later turn
        channel.put("a");                     // put 2
        channel.offer("b");                   // put 3
        channel.offer("full");                // FULL: not counted
        channel.put("zero", Duration.ZERO);   // timed out at once: not counted
        channel.put(null);                    // rejected: not counted
        Future<Void> parked = channel.put("parked");
        Future<Void> timed = channel.put("timed", Duration.ofMillis(20));
        assertThat(statusOf(channel))
            .isEqualTo(new ChannelStatus("counts", 2, 2, false, false, 2, 0, 3, 1, 0));

        timed.onComplete(test.failing(cause -> test.verify(() -> {
          assertThat(statusOf(channel))
              .isEqualTo(new ChannelStatus("counts", 2, 2, false, false, 1, 0, 3, 1, 0));
          assertSucceeded(waiting);           // told turns ago
          channel.take();                     // taken 2; admits "parked": put 4
          channel.poll();                     // taken 3
          assertPending(parked);              // told in a later turn
          channel.close();
          channel.put("after-close");         // CLOSED: not counted
          assertThat(statusOf(channel))
              .isEqualTo(new ChannelStatus("counts", 2, 1, true, false, 0, 0, 4, 3, 0));
          channel.take();                     // taken 4
          channel.poll();                     // CLOSED: not counted
          assertThat(statusOf(channel))
              .isEqualTo(new ChannelStatus("counts", 2, 0, true, true, 0, 0, 4, 4, 0));
          afterServedWaitersComplete(context, test, () -> {
            assertSucceeded(parked);
            test.completeNow();
          });
        })));
      });
    }
  }

  @Nested
  class Contexts {

    @Test
    void callsFromAnotherContextCompleteOnTheCallersContext(Vertx vertx, VertxTestContext test) {
      Context channelContext = newContext(vertx);
      Context callerContext = newContext(vertx);
      Checkpoint callbacks = test.checkpoint(10);
      channelContext.runOnContext(v -> {
        Channel<String> channel = Channel.create(vertx, "elsewhere", 1);
        callerContext.runOnContext(w -> {
          // each callback must run on the caller's context, whatever thread served the call
          Consumer<String> onCaller = operation -> test.verify(() -> {
            assertThat(Vertx.currentContext()).as("context completing " + operation).isSameAs(callerContext);
            callbacks.flag();
          });
          channel.put("a").onComplete(test.succeeding(nothing -> onCaller.accept("put")));
          channel.offer("b").onComplete(test.failing(cause -> test.verify(() -> {
            assertThat(cause).isInstanceOf(ChannelFullException.class);
            onCaller.accept("offer");
          })));
          channel.take().onComplete(test.succeeding(item -> test.verify(() -> {
            assertThat(item).isEqualTo("a");
            onCaller.accept("take");
          })));
          channel.poll().onComplete(test.failing(cause -> test.verify(() -> {
            assertThat(cause).isInstanceOf(ChannelEmptyException.class);
            onCaller.accept("poll");
          })));
          channel.status().onComplete(test.succeeding(status -> onCaller.accept("status")));
          channel.put(null).onComplete(test.failing(cause -> test.verify(() -> {
            assertThat(cause).isInstanceOf(NullPointerException.class);
            onCaller.accept("put(null)");
          })));
          channel.take(Duration.ofMillis(-1)).onComplete(test.failing(cause -> test.verify(() -> {
            assertThat(cause).isInstanceOf(IllegalArgumentException.class);
            onCaller.accept("take(negative timeout)");
          })));
          channel.join().onComplete(test.succeeding(nothing -> onCaller.accept("join")));
          channel.take(Duration.ofMillis(10)).onComplete(test.failing(cause -> test.verify(() -> {
            assertThat(cause).isInstanceOf(ChannelTimeoutException.class);
            onCaller.accept("timed take");
            channel.close().onComplete(test.succeeding(nothing -> onCaller.accept("close")));
          })));
        });
      });
    }

    @Test
    void aTakeWaitingOnAnotherContextIsServedByAPutFromAThirdOne(Vertx vertx, VertxTestContext test) {
      Context channelContext = newContext(vertx);
      Context takerContext = newContext(vertx);
      Context putterContext = newContext(vertx);
      Checkpoint done = test.checkpoint(2);
      channelContext.runOnContext(v -> {
        Channel<String> channel = Channel.create(vertx, "three-contexts", 0);
        takerContext.runOnContext(w -> channel.take().onComplete(test.succeeding(item -> test.verify(() -> {
          assertThat(item).isEqualTo("a");
          assertThat(Vertx.currentContext()).isSameAs(takerContext);
          done.flag();
        }))));
        putterContext.runOnContext(w -> channel.put("a").onComplete(test.succeeding(nothing -> test.verify(() -> {
          assertThat(Vertx.currentContext()).isSameAs(putterContext);
          done.flag();
        }))));
      });
    }

    @Test
    void concurrentProducersOnOtherContextsAndThreadsLoseNothingAndKeepTheirOrder(
        Vertx vertx, VertxTestContext test) throws Exception {
      int producers = 4;
      int perProducer = 5_000;
      Context channelContext = newContext(vertx);
      CompletableFuture<Channel<String>> created = new CompletableFuture<>();
      channelContext.runOnContext(v -> created.complete(Channel.create(vertx, "concurrent", 16)));
      Channel<String> channel = created.get(10, TimeUnit.SECONDS);

      List<Future<Void>> producing = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        String producer = "p" + p;
        Context producerContext = newContext(vertx);
        producing.add(Future.<Void>future(promise -> producerContext.runOnContext(v -> {
          Future<Void> chain = Future.succeededFuture();
          for (int i = 0; i < perProducer; i++) {
            String item = producer + ":" + i;
            chain = chain.compose(nothing -> channel.put(item));
          }
          chain.onComplete(promise);
        })));
      }
      // and one producer on a plain thread, no Vert.x context at all
      Thread plain = new Thread(() -> {
        for (int i = 0; i < perProducer; i++) {
          channel.put("plain:" + i).toCompletionStage().toCompletableFuture().join();
        }
      });
      plain.start();

      ConcurrentHashMap<String, Integer> lastSeen = new ConcurrentHashMap<>();
      List<String> problems = new ArrayList<>();
      int total = (producers + 1) * perProducer;
      Context consumerContext = newContext(vertx);
      consumerContext.runOnContext(v -> Future.<Void>future(promise -> consume(channel, total, lastSeen, problems, promise))
          .onComplete(test.succeeding(nothing -> {
            Future.all(producing).onComplete(test.succeeding(all -> channel.status()
                .onComplete(test.succeeding(status -> test.verify(() -> {
                  assertThat(problems).isEmpty();
                  assertThat(lastSeen).hasSize(producers + 1)
                      .allSatisfy((producer, last) -> assertThat(last).isEqualTo(perProducer - 1));
                  assertThat(status.totalPut()).isEqualTo(total);
                  assertThat(status.totalTaken()).isEqualTo(total);
                  assertThat(status.size()).isZero();
                  test.completeNow();
                })))));
          })));
    }

    private void consume(Channel<String> channel, int remaining, ConcurrentHashMap<String, Integer> lastSeen,
        List<String> problems, Promise<Void> done) {
      if (remaining == 0) {
        done.complete();
        return;
      }
      channel.take().onComplete(ar -> {
        if (ar.failed()) {
          done.fail(ar.cause());
          return;
        }
        String[] parts = ar.result().split(":");
        int index = Integer.parseInt(parts[1]);
        int previous = lastSeen.getOrDefault(parts[0], -1);
        if (index != previous + 1) {
          problems.add(ar.result() + " after index " + previous);
        }
        lastSeen.put(parts[0], index);
        consume(channel, remaining - 1, lastSeen, problems, done);
      });
    }

    /**
     * The size may be read from any thread, but the channel's buffer may not: while its array grows,
     * it reads as empty or worse for the length of the copy. A million items make many growths.
     */
    @Test
    void theSizeReadFromAPlainThreadWhileAChannelFillsNeverGoesBackNorBeyondWhatWasPut(Vertx vertx)
        throws Exception {
      int items = 1_000_000;
      Context channelContext = newContext(vertx);
      CompletableFuture<Channel<Integer>> created = new CompletableFuture<>();
      channelContext.runOnContext(v -> created.complete(Channel.unbounded(vertx, "size-elsewhere")));
      Channel<Integer> channel = created.get(10, TimeUnit.SECONDS);

      // a producer on the channel's context, in turns; nothing is taken, so the size only grows
      CompletableFuture<Void> filled = new CompletableFuture<>();
      channelContext.runOnContext(v -> putInTurns(channelContext, channel, 0, items, filled));
      List<String> problems = new ArrayList<>();
      int last = 0;
      while (problems.isEmpty() && last < items) {
        boolean allPut = filled.isDone(); // before the read: the read then comes after the last put
        int size = channel.size();
        if (size < last || size > items) {
          problems.add("read " + size + " after " + last);
        } else if (allPut && size < items) {
          problems.add("read " + size + " once all " + items + " were put");
        }
        last = size;
      }
      filled.get(10, TimeUnit.SECONDS);

      assertThat(problems).isEmpty();
    }

    private void putInTurns(Context context, Channel<Integer> channel, int next, int count,
        CompletableFuture<Void> done) {
      int end = Math.min(count, next + 10_000);
      for (int item = next; item < end; item++) {
        channel.put(item);
      }
      if (end == count) {
        done.complete(null);
      } else {
        context.runOnContext(v -> putInTurns(context, channel, end, count, done));
      }
    }

    @Test
    void aCallFromAPlainThreadIsServedOnTheChannelsContext(Vertx vertx) throws Exception {
      Context channelContext = newContext(vertx);
      CompletableFuture<Channel<String>> created = new CompletableFuture<>();
      channelContext.runOnContext(v -> created.complete(Channel.create(vertx, "plain-thread", 1)));
      Channel<String> channel = created.get(10, TimeUnit.SECONDS);

      CompletableFuture<Context> putCompletedOn = new CompletableFuture<>();
      channel.put("a").onComplete(ar -> putCompletedOn.complete(Vertx.currentContext()));

      assertThat(putCompletedOn.get(10, TimeUnit.SECONDS)).isSameAs(channelContext);
      assertThat(channel.take().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isEqualTo("a");
      assertThatThrownBy(() -> channel.poll().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(ChannelEmptyException.class);
    }
  }

  @Nested
  class Creation {

    @Test
    void aNegativeCapacityIsRejected(Vertx vertx) {
      assertThatThrownBy(() -> Channel.create(vertx, "negative", -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'negative'")
          .hasMessageContaining("-1");
      assertThatThrownBy(() -> Channel.create(vertx, "negative", Integer.MIN_VALUE))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChannelLivesOnTheContextThatCreatedIt(Vertx vertx, VertxTestContext test) {
      Context creator = newContext(vertx);
      creator.runOnContext(v -> {
        Channel<String> channel = Channel.create(vertx, "home", 1);
        // a take from a plain thread (waiting or not) is completed on the channel's context
        Thread other = new Thread(() -> channel.take().onComplete(test.succeeding(item -> test.verify(() -> {
          assertThat(item).isEqualTo("a");
          assertThat(Vertx.currentContext()).isSameAs(creator);
          test.completeNow();
        }))));
        other.start();
        channel.put("a");
      });
    }
  }
}
