package dev.channels.impl.local;

import static dev.channels.impl.local.ChannelTesting.afterServedWaitersComplete;
import static dev.channels.impl.local.ChannelTesting.assertSucceeded;
import static dev.channels.impl.local.ChannelTesting.assertSucceededWith;
import static dev.channels.impl.local.ChannelTesting.newContext;
import static dev.channels.impl.local.ChannelTesting.runOnNewContext;
import static dev.channels.impl.local.ChannelTesting.startOnNewContext;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import dev.channels.ChannelStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A channel consumed as a {@link ReadStream}: order, real demand, the end, and several streams
 * sharing one channel. A stream on the channel's own context takes synchronously, so most checks
 * there are exact; streams on other contexts are checked through round trips to the channel.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ChannelReadStreamTest {

  private static ChannelStatus statusOf(Channel<?> channel) {
    Future<ChannelStatus> status = channel.status();
    assertSucceeded(status);
    return status.result();
  }

  /** Puts {@code from..to} one after the other (each waits for room), then closes the channel. */
  private static Future<Void> produceThenClose(Channel<Integer> channel, int from, int to) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = from; i <= to; i++) {
      int item = i;
      chain = chain.compose(v -> channel.put(item));
    }
    return chain.compose(v -> channel.close());
  }

  /**
   * The channel's status once no item is in flight, asked for again after each answer (at most
   * {@code attempts} times): an item on its way to a stream on another context is settled within a
   * few round trips (how many depends on whether the contexts share an event-loop thread).
   */
  private static Future<ChannelStatus> whenNothingInFlight(Channel<?> channel, int attempts) {
    return channel.status().compose(status -> status.inFlight() == 0 || attempts == 1
        ? Future.succeededFuture(status) : whenNothingInFlight(channel, attempts - 1));
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void theHandlerReceivesItemsInOrderAndTheEndComesOnceAfterTheLast(Vertx vertx, VertxTestContext test) {
    startOnNewContext(vertx, test, context -> {
      Channel<Integer> channel = Channel.create(vertx, "in-order", 4);
      List<Integer> received = new ArrayList<>();
      int[] ends = new int[1];
      channel.stream()
          .handler(item -> test.verify(() -> {
            assertThat(ends[0]).as("an item after the end").isZero();
            received.add(item);
          }))
          .endHandler(v -> test.verify(() -> {
            ends[0]++;
            assertThat(received).isEqualTo(range(1, 1000));
            assertThat(channel.isFinished()).isTrue();
            // one more turn of the event loop: a second end would show up by then
            context.runOnContext(w -> test.verify(() -> {
              assertThat(ends[0]).isEqualTo(1);
              test.completeNow();
            }));
          }));
      produceThenClose(channel, 1, 1000).onComplete(test.succeeding(v -> { }));
    });
  }

  @Test
  void aPausedStreamTakesNothingAndLeavesItemsToOtherConsumers(Vertx vertx, VertxTestContext test) {
    startOnNewContext(vertx, test, context -> {
      Channel<String> channel = Channel.create(vertx, "paused", 10);
      List<String> received = new ArrayList<>();
      ReadStream<String> stream = channel.stream().handler(received::add);
      assertThat(statusOf(channel).waitingTakers()).isEqualTo(1);

      stream.pause();

      assertThat(statusOf(channel).waitingTakers()).isZero();
      channel.put("a");
      channel.put("b");
      assertThat(channel.size()).isEqualTo(2);
      assertSucceededWith(channel.take(), "a");
      assertThat(received).isEmpty();

      stream.resume();

      assertThat(received).containsExactly("b");
      assertThat(statusOf(channel).waitingTakers()).isEqualTo(1);
      channel.put("c");
      // the stream's waiting take has "c" at once, in flight until the handler has it a turn later
      assertThat(statusOf(channel).totalTaken()).isEqualTo(2);
      assertThat(statusOf(channel).inFlight()).isEqualTo(1);
      assertThat(received).containsExactly("b");
      afterServedWaitersComplete(context, test, () -> {
        assertThat(received).containsExactly("b", "c");
        assertThat(statusOf(channel).totalTaken()).isEqualTo(3);
        assertThat(statusOf(channel).inFlight()).isZero();
        test.completeNow();
      });
    });
  }

  @Test
  void fetchDeliversExactlyTheRequestedNumberOfItems(Vertx vertx, VertxTestContext test) {
    startOnNewContext(vertx, test, context -> {
      Channel<Integer> channel = Channel.create(vertx, "fetch", 20);
      range(1, 10).forEach(channel::put);
      List<Integer> received = new ArrayList<>();
      ReadStream<Integer> stream = channel.stream().pause().handler(received::add);
      assertThat(received).isEmpty();
      assertThat(channel.size()).isEqualTo(10);

      stream.fetch(3);
      assertThat(received).isEqualTo(range(1, 3));
      assertThat(channel.size()).isEqualTo(7);
      assertThat(statusOf(channel).waitingTakers()).isZero();

      stream.fetch(0);
      assertThat(received).hasSize(3);

      stream.fetch(2);
      assertThat(received).isEqualTo(range(1, 5));
      assertThat(channel.size()).isEqualTo(5);

      stream.fetch(100);
      assertThat(received).isEqualTo(range(1, 10));
      // demand is left over: the stream waits for more
      assertThat(statusOf(channel).waitingTakers()).isEqualTo(1);
      channel.put(11);
      afterServedWaitersComplete(context, test, () -> {
        assertThat(received).isEqualTo(range(1, 11));
        test.completeNow();
      });
    });
  }

  @Test
  void fetchOnAStreamOnAnotherContextDeliversExactlyTheRequestedNumber(Vertx vertx, VertxTestContext test) {
    Context channelContext = newContext(vertx);
    Context streamContext = newContext(vertx);
    channelContext.runOnContext(v -> {
      Channel<Integer> channel = Channel.create(vertx, "fetch-elsewhere", 20);
      range(1, 10).forEach(channel::put);
      streamContext.runOnContext(w -> {
        List<Integer> received = new ArrayList<>();
        ReadStream<Integer> stream = channel.stream().pause();
        stream.handler(item -> test.verify(() -> {
          received.add(item);
          if (received.size() == 3) {
            // no take may be outstanding now: the channel keeps the other 7
            channel.status().onComplete(test.succeeding(status -> test.verify(() -> {
              assertThat(received).isEqualTo(range(1, 3));
              assertThat(status.size()).isEqualTo(7);
              assertThat(status.waitingTakers()).isZero();
              assertThat(status.totalTaken()).isEqualTo(3);
              test.completeNow();
            })));
          }
        }));
        stream.fetch(3);
      });
    });
  }

  @Test
  void resumeAfterPauseDeliversTheRestAndTheEnd(Vertx vertx, VertxTestContext test) {
    startOnNewContext(vertx, test, context -> {
      Channel<Integer> channel = Channel.create(vertx, "resume", 100);
      range(1, 50).forEach(channel::put);
      channel.close();
      List<Integer> received = new ArrayList<>();
      ReadStream<Integer> stream = channel.stream();
      stream.endHandler(v -> test.verify(() -> {
        assertThat(received).isEqualTo(range(1, 50));
        test.completeNow();
      }));
      // the handler applies back-pressure itself: pause after each item, resume a turn later
      stream.handler(item -> {
        received.add(item);
        stream.pause();
        context.runOnContext(w -> test.verify(() -> {
          assertThat(channel.size()).isEqualTo(50 - received.size());
          stream.resume();
        }));
      });
    });
  }

  @Test
  void theEndComesWhenTheChannelFinishesEvenIfTheStreamIsPausedAndTookNothing(
      Vertx vertx, VertxTestContext test) {
    startOnNewContext(vertx, test, context -> {
      Channel<String> channel = Channel.create(vertx, "paused-end", 10);
      channel.put("a");
      channel.put("b");
      int[] ends = new int[1];
      List<String> received = new ArrayList<>();
      channel.stream().pause().handler(received::add).endHandler(v -> ends[0]++);
      channel.close();
      assertThat(ends[0]).as("ended before the channel finished").isZero();

      channel.take();
      channel.take();

      channel.join().onComplete(test.succeeding(v -> context.runOnContext(w -> test.verify(() -> {
        assertThat(ends[0]).isEqualTo(1);
        assertThat(received).isEmpty();
        test.completeNow();
      }))));
    });
  }

  @Test
  void theEndComesOnceForAStreamThatNeverGotAnItem(Vertx vertx, VertxTestContext test) {
    startOnNewContext(vertx, test, context -> {
      Channel<String> channel = Channel.create(vertx, "nothing", 10);
      int[] ends = new int[1];
      int[] items = new int[1];
      ReadStream<String> stream = channel.stream().handler(item -> items[0]++).endHandler(v -> ends[0]++);
      assertThat(statusOf(channel).waitingTakers()).isEqualTo(1);

      channel.close();

      channel.join().onComplete(test.succeeding(v -> context.runOnContext(w -> test.verify(() -> {
        assertThat(ends[0]).isEqualTo(1);
        // demand changes after the end must not end it again
        stream.pause();
        stream.fetch(5);
        stream.resume();
        context.runOnContext(x -> test.verify(() -> {
          assertThat(ends[0]).isEqualTo(1);
          assertThat(items[0]).isZero();
          test.completeNow();
        }));
      }))));
    });
  }

  @Test
  void anEndHandlerSetAfterTheChannelFinishedIsStillCalled(Vertx vertx, VertxTestContext test) {
    startOnNewContext(vertx, test, context -> {
      Channel<String> channel = Channel.create(vertx, "late-end", 10);
      channel.close();
      assertThat(channel.isFinished()).isTrue();
      Checkpoint ended = test.checkpoint();
      channel.stream().endHandler(v -> ended.flag());
    });
  }

  @Test
  void aStreamOnAnotherContextDeliversTheLastItemBeforeItsEnd(Vertx vertx, VertxTestContext test) {
    Context channelContext = newContext(vertx);
    Context streamContext = newContext(vertx);
    channelContext.runOnContext(v -> {
      Channel<String> channel = Channel.create(vertx, "last-item", 10);
      channel.put("a");
      channel.put("b");
      channel.close();
      streamContext.runOnContext(w -> {
        List<String> received = new ArrayList<>();
        int[] ends = new int[1];
        channel.stream()
            .handler(item -> test.verify(() -> {
              assertThat(ends[0]).as("item " + item + " arrived after the end").isZero();
              received.add(item);
            }))
            .endHandler(end -> test.verify(() -> {
              ends[0]++;
              assertThat(received).containsExactly("a", "b");
              streamContext.runOnContext(x -> test.verify(() -> {
                assertThat(ends[0]).isEqualTo(1);
                assertThat(received).containsExactly("a", "b");
                test.completeNow();
              }));
            }));
      });
    });
  }

  @Test
  void aStreamCreatedOnAnotherContextDeliversOnItsOwnContext(Vertx vertx, VertxTestContext test) {
    Context channelContext = newContext(vertx);
    Context streamContext = newContext(vertx);
    channelContext.runOnContext(v -> {
      Channel<Integer> channel = Channel.create(vertx, "own-context", 3);
      streamContext.runOnContext(w -> {
        List<Integer> received = new ArrayList<>();
        channel.stream()
            .handler(item -> test.verify(() -> {
              assertThat(Vertx.currentContext()).isSameAs(streamContext);
              received.add(item);
            }))
            .endHandler(end -> test.verify(() -> {
              assertThat(Vertx.currentContext()).isSameAs(streamContext);
              assertThat(received).isEqualTo(range(1, 200));
              test.completeNow();
            }));
        channelContext.runOnContext(x -> produceThenClose(channel, 1, 200));
      });
    });
  }

  @Test
  void pausingAStreamOnAnotherContextWithdrawsItsTake(Vertx vertx, VertxTestContext test) {
    Context channelContext = newContext(vertx);
    Context streamContext = newContext(vertx);
    channelContext.runOnContext(v -> {
      Channel<String> channel = Channel.create(vertx, "pause-elsewhere", 10);
      streamContext.runOnContext(w -> {
        List<String> received = new ArrayList<>();
        ReadStream<String> stream = channel.stream().handler(received::add);
        channel.status().onComplete(test.succeeding(before -> test.verify(() -> {
          assertThat(before.waitingTakers()).isEqualTo(1);
          stream.pause();
          // the status request reaches the channel after the stream's withdrawal
          channel.status().onComplete(test.succeeding(after -> test.verify(() -> {
            assertThat(after.waitingTakers()).isZero();
            channelContext.runOnContext(x -> test.verify(() -> {
              channel.put("a");
              assertThat(channel.size()).isEqualTo(1);
              assertSucceededWith(channel.take(), "a");
              streamContext.runOnContext(y -> test.verify(() -> {
                assertThat(received).isEmpty();
                test.completeNow();
              }));
            }));
          })));
        })));
      });
    });
  }

  @Test
  void anItemAlreadyOnItsWayWhenAStreamPausesIsDeliveredOnTheNextDemand(Vertx vertx, VertxTestContext test) {
    Context channelContext = newContext(vertx);
    Context streamContext = newContext(vertx);
    channelContext.runOnContext(v -> {
      Channel<Integer> channel = Channel.create(vertx, "held", 10);
      range(1, 5).forEach(channel::put);
      streamContext.runOnContext(w -> {
        List<Integer> received = new ArrayList<>();
        boolean[] fetched = {false};
        // the take for item 1 is dispatched, then the pause: item 1 is taken all the same
        ReadStream<Integer> stream = channel.stream().pause();
        stream.handler(item -> test.verify(() -> {
          assertThat(fetched[0]).as("item " + item + " delivered while paused").isTrue();
          received.add(item);
          channel.status().onComplete(test.succeeding(after -> test.verify(() -> {
            // the item on its way was delivered first, and no other take was made for it
            assertThat(received).containsExactly(1);
            assertThat(after.size()).isEqualTo(4);
            assertThat(after.totalTaken()).isEqualTo(1);
            assertThat(after.waitingTakers()).isZero();
            test.completeNow();
          })));
        }));
        stream.resume();
        stream.pause();
        channel.status().onComplete(test.succeeding(status -> test.verify(() -> {
          assertThat(received).isEmpty();
          assertThat(status.size()).isEqualTo(4);
          assertThat(status.waitingTakers()).isZero();
          fetched[0] = true;
          stream.fetch(1);
        })));
      });
    });
  }

  @Test
  void settingTheHandlerToNullWithdrawsTheTake(Vertx vertx, VertxTestContext test) {
    runOnNewContext(vertx, test, context -> {
      Channel<String> channel = Channel.create(vertx, "null-handler", 10);
      ReadStream<String> stream = channel.stream().handler(item -> { });
      assertThat(statusOf(channel).waitingTakers()).isEqualTo(1);
      stream.handler(null);
      assertThat(statusOf(channel).waitingTakers()).isZero();
      channel.put("a");
      assertThat(channel.size()).isEqualTo(1);
    });
  }

  @Test
  void anItemServedToAStreamWhoseHandlerIsThenRemovedGoesBackToTheHeadOfTheChannel(
      Vertx vertx, VertxTestContext test) {
    startOnNewContext(vertx, test, context -> {
      Channel<String> channel = Channel.create(vertx, "served-then-no-handler", 10);
      List<String> received = new ArrayList<>();
      ReadStream<String> stream = channel.stream().handler(received::add);
      channel.put("a"); // served to the stream's waiting take, told a turn later
      channel.put("b");
      stream.handler(null);
      afterServedWaitersComplete(context, test, () -> {
        assertThat(received).isEmpty();
        ChannelStatus status = statusOf(channel);
        assertThat(status.size()).as("items in the channel").isEqualTo(2);
        assertThat(status.inFlight()).isZero();
        assertThat(status.totalTaken()).isZero();
        // the item given back comes first, ahead of the one never taken
        assertSucceededWith(channel.take(), "a");
        assertSucceededWith(channel.take(), "b");
        test.completeNow();
      });
    });
  }

  @Test
  void theLastItemOfAClosedChannelServedToAStreamWhoseHandlerIsRemovedIsStillTaken(
      Vertx vertx, VertxTestContext test) {
    startOnNewContext(vertx, test, context -> {
      Channel<String> channel = Channel.create(vertx, "last-served-then-no-handler", 10);
      List<String> received = new ArrayList<>();
      int[] ends = new int[1];
      ReadStream<String> stream = channel.stream().handler(received::add).endHandler(v -> ends[0]++);
      channel.put("a");
      stream.handler(null);
      channel.close();
      assertThat(channel.isFinished()).as("finished while the stream's item is on its way").isFalse();
      afterServedWaitersComplete(context, test, () -> {
        assertThat(received).isEmpty();
        assertThat(channel.isFinished()).as("finished with the last item in no one's hands").isFalse();
        assertThat(ends[0]).isZero();
        assertSucceededWith(channel.take(), "a");
        assertThat(channel.isFinished()).isTrue();
        channel.join().onComplete(test.succeeding(v -> context.runOnContext(w -> test.verify(() -> {
          assertThat(ends[0]).isEqualTo(1);
          test.completeNow();
        }))));
      });
    });
  }

  @Test
  void anItemServedToAStreamThatThenPausesGoesBackAheadOfTheRest(Vertx vertx, VertxTestContext test) {
    startOnNewContext(vertx, test, context -> {
      Channel<String> channel = Channel.create(vertx, "served-then-paused", 10);
      List<String> received = new ArrayList<>();
      ReadStream<String> stream = channel.stream().handler(received::add);
      channel.put("a"); // served to the stream's waiting take, told a turn later
      channel.put("b");
      stream.pause();
      afterServedWaitersComplete(context, test, () -> {
        // a paused stream holds nothing: another consumer gets the item, in put order
        assertThat(received).isEmpty();
        assertThat(channel.size()).isEqualTo(2);
        assertSucceededWith(channel.take(), "a");
        stream.resume();
        assertThat(received).containsExactly("b");
        assertThat(statusOf(channel).totalTaken()).isEqualTo(2);
        test.completeNow();
      });
    });
  }

  @Test
  void anItemTakenForAStreamOnAnotherContextWhoseHandlerIsRemovedGoesBackToTheChannel(
      Vertx vertx, VertxTestContext test) {
    Context channelContext = newContext(vertx);
    Context streamContext = newContext(vertx);
    channelContext.runOnContext(v -> {
      Channel<Integer> channel = Channel.create(vertx, "taken-elsewhere-then-no-handler", 10);
      range(1, 3).forEach(channel::put);
      streamContext.runOnContext(w -> {
        List<Integer> received = new ArrayList<>();
        // the take for item 1 is dispatched, then the handler is removed: item 1 is on its way
        ReadStream<Integer> stream = channel.stream().handler(received::add);
        stream.handler(null);
        whenNothingInFlight(channel, 100)
            .onComplete(test.succeeding(status -> test.verify(() -> {
              assertThat(received).isEmpty();
              assertThat(status.size()).isEqualTo(3);
              assertThat(status.inFlight()).isZero();
              assertThat(status.totalTaken()).isZero();
              channel.take().onComplete(test.succeeding(item -> test.verify(() -> {
                assertThat(item).isEqualTo(1);
                test.completeNow();
              })));
            })));
      });
    });
  }

  @Test
  void aFailingHandlerGoesToTheExceptionHandlerAndTheStreamGoesOn(Vertx vertx, VertxTestContext test) {
    startOnNewContext(vertx, test, context -> {
      Channel<Integer> channel = Channel.create(vertx, "failing-handler", 10);
      range(1, 4).forEach(channel::put);
      channel.close();
      List<Integer> received = new ArrayList<>();
      List<Throwable> failures = new ArrayList<>();
      channel.stream()
          .exceptionHandler(failures::add)
          .endHandler(v -> test.verify(() -> {
            assertThat(received).isEqualTo(range(1, 4));
            assertThat(failures).singleElement().satisfies(
                failure -> assertThat(failure).hasMessage("boom at 2"));
            test.completeNow();
          }))
          .handler(item -> {
            received.add(item);
            if (item == 2) {
              throw new IllegalStateException("boom at 2");
            }
          });
    });
  }

  @Test
  void fourStreamsOnOtherContextsShareTheWorkAndAllEnd(Vertx vertx, VertxTestContext test) {
    int streams = 4;
    int items = 20_000;
    Context channelContext = newContext(vertx);
    ConcurrentHashMap<Integer, Integer> deliveries = new ConcurrentHashMap<>();
    AtomicInteger ended = new AtomicInteger();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    channelContext.runOnContext(v -> {
      Channel<Integer> channel = Channel.create(vertx, "shared", 16);
      for (int s = 0; s < streams; s++) {
        int stream = s;
        Context streamContext = newContext(vertx);
        streamContext.runOnContext(w -> {
          int[] last = {0};
          boolean[] done = {false};
          channel.stream()
              .handler(item -> {
                if (done[0]) {
                  problems.add("stream " + stream + " got " + item + " after its end");
                }
                if (item <= last[0]) {
                  problems.add("stream " + stream + " got " + item + " after " + last[0]);
                }
                last[0] = item;
                deliveries.merge(item, 1, Integer::sum);
              })
              .endHandler(end -> test.verify(() -> {
                done[0] = true;
                if (ended.incrementAndGet() == streams) {
                  // every stream has ended: every item must have been delivered by now
                  assertThat(problems).isEmpty();
                  assertThat(deliveries.size()).as("items delivered when all streams ended").isEqualTo(items);
                  assertThat(deliveries.values()).containsOnly(1);
                  assertThat(channel.isFinished()).isTrue();
                  test.completeNow();
                }
              }));
        });
      }
      channelContext.runOnContext(w -> produceThenClose(channel, 1, items));
    });
  }

  @Test
  void fourStreamsStartedAfterCloseShareWhatIsLeftAndAllEnd(Vertx vertx, VertxTestContext test) {
    int streams = 4;
    int items = 2_000;
    Context channelContext = newContext(vertx);
    ConcurrentHashMap<Integer, Integer> deliveries = new ConcurrentHashMap<>();
    AtomicInteger ended = new AtomicInteger();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    channelContext.runOnContext(v -> {
      Channel<Integer> channel = Channel.unbounded(vertx, "shared-after-close");
      range(1, items).forEach(channel::put);
      channel.close();
      for (int s = 0; s < streams; s++) {
        int stream = s;
        Context streamContext = newContext(vertx);
        streamContext.runOnContext(w -> {
          boolean[] done = {false};
          channel.stream()
              .handler(item -> {
                if (done[0]) {
                  problems.add("stream " + stream + " got " + item + " after its end");
                }
                deliveries.merge(item, 1, Integer::sum);
              })
              .endHandler(end -> test.verify(() -> {
                done[0] = true;
                if (ended.incrementAndGet() == streams) {
                  assertThat(problems).isEmpty();
                  assertThat(deliveries.size()).as("items delivered when all streams ended").isEqualTo(items);
                  assertThat(deliveries.values()).containsOnly(1);
                  test.completeNow();
                }
              }));
        });
      }
    });
  }

  @Test
  void aStreamPipesIntoAWriteStreamUntilTheEnd(Vertx vertx, VertxTestContext test) {
    startOnNewContext(vertx, test, context -> {
      Channel<Integer> channel = Channel.create(vertx, "pipe", 8);
      CollectingWriteStream<Integer> sink = new CollectingWriteStream<>();
      channel.stream().pipeTo(sink).onComplete(test.succeeding(v -> test.verify(() -> {
        assertThat(sink.items).isEqualTo(range(1, 500));
        assertThat(sink.ended).isTrue();
        test.completeNow();
      })));
      produceThenClose(channel, 1, 500);
    });
  }

  /** A write stream that keeps what it is given and is full every 7 items until drained a turn later. */
  private static final class CollectingWriteStream<T> implements WriteStream<T> {

    final List<T> items = new ArrayList<>();
    boolean ended;
    private Handler<Void> drainHandler;
    private boolean full;

    @Override
    public WriteStream<T> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(T item) {
      items.add(item);
      if (items.size() % 7 == 0) {
        full = true;
        Vertx.currentContext().runOnContext(v -> {
          full = false;
          if (drainHandler != null) {
            drainHandler.handle(null);
          }
        });
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      ended = true;
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<T> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public WriteStream<T> drainHandler(Handler<Void> handler) {
      this.drainHandler = handler;
      return this;
    }
  }
}
