package dev.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The behaviour every {@link Channel} shares, whatever serves it: run against the in-process
 * channel and the remote one. Each test runs on a context of its own (the caller's), which is
 * not the channel's; its calls reach the channel in the order made, so a {@link Channel#status()}
 * made after some calls reflects all of them. Outcomes are checked through the futures, never by
 * waiting on a clock.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
public abstract class ChannelContract {

  /** A new, empty, open channel of that name and capacity; called on the caller's context. */
  protected abstract Future<Channel<String>> channel(Vertx vertx, String name, int capacity);

  // FIFO

  @Test
  void itemsLeaveInTheOrderTheyWerePut(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "fifo", 10, channel -> sequentially(IntStream.rangeClosed(1, 10).mapToObj(i -> () -> channel.put("" + i)))
        .compose(v -> takeSequentially(channel, 5))
        .map(taken -> assertThat(taken).containsExactly("1", "2", "3", "4", "5"))
        .compose(v -> all(IntStream.rangeClosed(6, 10).mapToObj(i -> channel.poll()).toList()))
        .map(polled -> assertThat(polled).containsExactly("6", "7", "8", "9", "10")));
  }

  @Test
  void waitingTakersAreServedOldestFirst(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "takers", 5, channel -> {
      List<Integer> completed = new ArrayList<>();
      List<Future<String>> takes = recordingOrder(List.of(channel.take(), channel.take(), channel.take()), completed);
      return channel.status()
          .map(status -> {
            assertThat(status.waitingTakers()).isEqualTo(3);
            takes.forEach(ChannelContract::assertPending);
            return status;
          })
          .compose(v -> channel.put("a"))
          .compose(v -> channel.put("b"))
          .compose(v -> channel.offer("c"))
          .compose(v -> all(takes))
          .map(taken -> {
            assertThat(taken).containsExactly("a", "b", "c");
            assertThat(completed).containsExactly(0, 1, 2);
            return taken;
          });
    });
  }

  @Test
  void waitingPuttersAreAdmittedOldestFirst(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "putters", 1, channel -> channel.put("x").compose(v -> {
      List<Integer> completed = new ArrayList<>();
      List<Future<Void>> puts = recordingOrder(List.of(channel.put("a"), channel.put("b"), channel.put("c")), completed);
      return channel.status()
          .map(status -> assertThat(status.waitingPutters()).isEqualTo(3))
          .compose(v2 -> takeSequentially(channel, 4))
          .map(taken -> assertThat(taken).containsExactly("x", "a", "b", "c"))
          .compose(v2 -> all(puts))
          .compose(v2 -> channel.status())
          .map(status -> {
            assertThat(status.waitingPutters()).isZero();
            assertThat(completed).containsExactly(0, 1, 2);
            return status;
          });
    }));
  }

  // hand-off

  @Test
  void aPutWhileTakersWaitGoesStraightToTheOldestTaker(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "handoff", 10, channel -> {
      Future<String> oldest = channel.take();
      Future<String> younger = channel.take();
      return channel.status()
          .map(status -> assertThat(status.waitingTakers()).isEqualTo(2))
          .compose(v -> channel.put("a"))
          .compose(v -> channel.status())
          .map(status -> {
            // the item never entered the buffer
            assertThat(status.size()).isZero();
            assertThat(status.waitingTakers()).isEqualTo(1);
            assertThat(status.totalPut()).isEqualTo(1);
            assertThat(status.totalTaken() + status.inFlight()).isEqualTo(1);
            assertPending(younger);
            return status;
          })
          .compose(v -> oldest)
          .map(item -> assertThat(item).isEqualTo("a"))
          .compose(v -> channel.put("b"))
          .compose(v -> younger)
          .map(item -> assertThat(item).isEqualTo("b"));
    });
  }

  @Test
  void aTakeOnAFullChannelAdmitsTheOldestWaitingPuttersItem(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "admit", 2, channel -> channel.put("a").compose(v -> channel.put("b")).compose(v -> {
      Future<Void> waitingPut = channel.put("c");
      return channel.status()
          .map(status -> assertThat(status.waitingPutters()).isEqualTo(1))
          .compose(v2 -> channel.take())
          .map(item -> assertThat(item).isEqualTo("a"))
          .compose(v2 -> channel.status())
          .map(status -> {
            assertThat(status.size()).isEqualTo(2);
            assertThat(status.waitingPutters()).isZero();
            assertThat(status.totalPut()).isEqualTo(3);
            return status;
          })
          .compose(v2 -> waitingPut)
          .compose(v2 -> takeSequentially(channel, 2))
          .map(taken -> assertThat(taken).containsExactly("b", "c"));
    }));
  }

  // without waiting

  @Test
  void offerOnAFullChannelFailsFullAndChangesNothing(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "full", 2, channel -> channel.offer("a").compose(v -> channel.offer("b"))
        .compose(v -> channel.status())
        .compose(before -> failsWith(channel.offer("c"), ChannelFullException.class)
            .map(full -> assertThat(full).hasMessageContaining("'full'").hasMessageContaining("full"))
            .compose(v -> channel.status())
            .map(after -> assertThat(after).isEqualTo(before)))
        .compose(v -> channel.poll()).map(item -> assertThat(item).isEqualTo("a"))
        .compose(v -> channel.poll()).map(item -> assertThat(item).isEqualTo("b"))
        .compose(v -> failsWith(channel.poll(), ChannelEmptyException.class)));
  }

  @Test
  void pollOnAnEmptyOpenChannelFailsEmptyAndChangesNothing(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "empty", 2, channel -> channel.status()
        .compose(before -> failsWith(channel.poll(), ChannelEmptyException.class)
            .map(empty -> assertThat(empty).hasMessageContaining("'empty'"))
            .compose(v -> channel.status())
            .map(after -> assertThat(after).isEqualTo(before)))
        .map(v -> assertThat(channel.isClosed()).isFalse()));
  }

  @Test
  void failuresBelongToTheChannelExceptionHierarchy(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "hierarchy", 0, channel -> failsWith(channel.offer("a"), ChannelException.class)
        .compose(v -> failsWith(channel.poll(), ChannelException.class))
        .compose(v -> failsWith(channel.take(Duration.ZERO), ChannelException.class))
        .compose(v -> channel.close())
        .compose(v -> failsWith(channel.put("a"), ChannelException.class)));
  }

  // close

  @Test
  void closedBeatsFullAndChangesNothing(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "closed-and-full", 1, channel -> channel.put("a").compose(v -> channel.close())
        .compose(v -> channel.status())
        .compose(before -> failsWith(channel.put("b"), ChannelClosedException.class)
            .map(closed -> assertThat(closed).hasMessageContaining("'closed-and-full'").hasMessageContaining("closed"))
            .compose(v -> failsWith(channel.put("b", Duration.ofSeconds(5)), ChannelClosedException.class))
            .compose(v -> failsWith(channel.put("b", Duration.ZERO), ChannelClosedException.class))
            .compose(v -> failsWith(channel.offer("b"), ChannelClosedException.class))
            .compose(v -> channel.status())
            .map(after -> assertThat(after).isEqualTo(before)))
        .compose(v -> channel.take())
        .map(item -> assertThat(item).isEqualTo("a")));
  }

  @Test
  void puttersWaitingAtCloseFailClosedAndNoneOfTheirItemsAppear(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "putters-at-close", 2, channel -> channel.put("buffered-1").compose(v -> channel.put("buffered-2"))
        .compose(v -> {
          List<Future<Void>> puts = IntStream.range(0, 20).mapToObj(i -> channel.put("blocked-" + i)).toList();
          return channel.status()
              .map(status -> assertThat(status.waitingPutters()).isEqualTo(20))
              .compose(v2 -> channel.close())
              .compose(v2 -> allFailWith(puts, ChannelClosedException.class));
        })
        .compose(v -> channel.status())
        .map(status -> {
          assertThat(status.waitingPutters()).isZero();
          assertThat(status.totalPut()).isEqualTo(2);
          assertThat(status.size()).isEqualTo(2);
          assertThat(status.finished()).isFalse();
          return status;
        })
        .compose(v -> drain(channel))
        .map(drained -> assertThat(drained).containsExactly("buffered-1", "buffered-2")));
  }

  @Test
  void takersWaitingAtCloseFailClosed(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "takers-at-close", 10, channel -> {
      List<Future<String>> takes = IntStream.range(0, 20).mapToObj(i -> channel.take()).toList();
      return channel.status()
          .map(status -> assertThat(status.waitingTakers()).isEqualTo(20))
          .compose(v -> channel.close())
          .compose(v -> allFailWith(takes, ChannelClosedException.class))
          .compose(v -> channel.status())
          .map(status -> {
            assertThat(status.waitingTakers()).isZero();
            assertThat(status.closed()).isTrue();
            assertThat(status.finished()).isTrue();
            assertThat(status.totalTaken()).isZero();
            return status;
          });
    });
  }

  @Test
  void bufferedItemsStayTakeableAfterCloseThenTakesFailClosed(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "late-takers", 10, channel -> sequentially(
            () -> channel.put("a"), () -> channel.put("b"), () -> channel.put("c"), () -> channel.put("d"))
        .compose(v -> channel.close())
        .map(v -> {
          assertThat(channel.isClosed()).isTrue();
          assertThat(channel.isFinished()).isFalse();
          return v;
        })
        .compose(v -> channel.take()).map(item -> assertThat(item).isEqualTo("a"))
        .compose(v -> channel.poll()).map(item -> assertThat(item).isEqualTo("b"))
        .compose(v -> channel.take(Duration.ofSeconds(5))).map(item -> assertThat(item).isEqualTo("c"))
        .compose(v -> channel.take(Duration.ZERO)).map(item -> assertThat(item).isEqualTo("d"))
        .compose(v -> failsWith(channel.take(), ChannelClosedException.class))
        .map(closed -> assertThat(closed).hasMessageContaining("'late-takers'"))
        .compose(v -> failsWith(channel.poll(), ChannelClosedException.class))
        .compose(v -> failsWith(channel.take(Duration.ofSeconds(5)), ChannelClosedException.class))
        .compose(v -> failsWith(channel.take(Duration.ZERO), ChannelClosedException.class))
        .compose(v -> channel.status())
        .map(status -> {
          assertThat(status.finished()).isTrue();
          assertThat(status.waitingTakers()).isZero();
          assertThat(status.totalTaken()).isEqualTo(4);
          assertThat(channel.isFinished()).isTrue();
          return status;
        }));
  }

  @Test
  void closeIsIdempotent(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "twice", 3, channel -> channel.put("a")
        .compose(v -> channel.close())
        .compose(v -> channel.status())
        .compose(first -> channel.close().compose(v -> channel.status()).map(second -> assertThat(second).isEqualTo(first)))
        .compose(v -> channel.take())
        .map(item -> assertThat(item).isEqualTo("a")));
  }

  // join

  @Test
  void joinCompletesOnceClosedAndDrained(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "join-before", 10, channel -> channel.put("a").compose(v -> channel.put("b")).compose(v -> {
      Future<Void> join = channel.join();
      return channel.close()
          .compose(v2 -> channel.take())
          .compose(v2 -> channel.status())
          .map(status -> {
            assertThat(status.finished()).isFalse();
            assertPending(join);
            return status;
          })
          .compose(v2 -> channel.take())
          .compose(v2 -> join)
          .map(v2 -> {
            assertThat(channel.isFinished()).isTrue();
            assertThat(channel.isClosed()).isTrue();
            return v2;
          });
    }));
  }

  @Test
  void joinAfterFinishCompletesAtOnce(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "join-after", 10, channel -> channel.put("a")
        .compose(v -> channel.close())
        .compose(v -> channel.take())
        .compose(v -> channel.join())
        .compose(v -> channel.join())
        .map(v -> assertThat(channel.isFinished()).isTrue()));
  }

  @Test
  void joinDoesNotCompleteWhileTheChannelIsOpenEvenIfEmpty(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "join-open", 10, channel -> {
      Future<Void> join = channel.join();
      return channel.put("a")
          .compose(v -> channel.take())
          .compose(v -> channel.status())
          .map(status -> {
            assertThat(status.size()).isZero();
            assertThat(status.finished()).isFalse();
            assertPending(join);
            return status;
          })
          .compose(v -> channel.close())
          .compose(v -> join);
    });
  }

  // timeouts

  @Test
  void zeroDurationMeansDoNotWait(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "zero-timeout", 1, channel -> failsWith(channel.take(Duration.ZERO), ChannelTimeoutException.class)
        .compose(v -> channel.put("a", Duration.ZERO))
        .compose(v -> failsWith(channel.put("b", Duration.ZERO), ChannelTimeoutException.class))
        .compose(v -> channel.status())
        .map(status -> {
          assertThat(status.waitingPutters()).isZero();
          assertThat(status.waitingTakers()).isZero();
          assertThat(status.totalPut()).isEqualTo(1);
          return status;
        })
        .compose(v -> channel.take(Duration.ZERO)).map(item -> assertThat(item).isEqualTo("a"))
        .compose(v -> failsWith(channel.take(Duration.ZERO), ChannelTimeoutException.class))
        .compose(v -> channel.status())
        .map(status -> assertThat(status.waitingTakers()).isZero()));
  }

  @Test
  void aTimedTakeOnAnIdleChannelFailsWithTimeoutAndLeavesNoWaiter(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "timed-take", 10, channel -> failsWith(channel.take(Duration.ofMillis(50)), ChannelTimeoutException.class)
        .map(timedOut -> assertThat(timedOut).hasMessageContaining("'timed-take'"))
        .compose(v -> channel.status())
        .map(status -> assertThat(status.waitingTakers()).isZero())
        .compose(v -> channel.put("a"))
        .compose(v -> channel.status())
        .map(status -> {
          // the timed-out take is gone: nobody took the later item
          assertThat(status.size()).isEqualTo(1);
          assertThat(status.totalTaken()).isZero();
          return status;
        }));
  }

  @Test
  void aTimedOutPutsItemIsNeverEnqueued(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "timed-put", 1, channel -> channel.put("a")
        .compose(v -> failsWith(channel.put("b", Duration.ofMillis(50)), ChannelTimeoutException.class))
        .map(timedOut -> assertThat(timedOut).hasMessageContaining("'timed-put'"))
        .compose(v -> channel.status())
        .map(status -> {
          assertThat(status.waitingPutters()).isZero();
          assertThat(status.totalPut()).isEqualTo(1);
          assertThat(status.size()).isEqualTo(1);
          return status;
        })
        .compose(v -> channel.take()).map(item -> assertThat(item).isEqualTo("a"))
        .compose(v -> failsWith(channel.poll(), ChannelEmptyException.class)));
  }

  @Test
  void aTimedOutRendezvousPutLeavesNothingForALaterTaker(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "timed-rendezvous", 0, channel -> failsWith(channel.put("a", Duration.ofMillis(50)), ChannelTimeoutException.class)
        .compose(v -> failsWith(channel.poll(), ChannelEmptyException.class))
        .compose(v -> channel.status())
        .map(status -> {
          assertThat(status.waitingPutters()).isZero();
          assertThat(status.totalPut()).isZero();
          return status;
        }));
  }

  @Test
  void aTimedWaiterServedBeforeItsDeadlineSucceeds(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "timed-served", 1, channel -> {
      Future<String> take = channel.take(Duration.ofSeconds(10));
      return channel.status()
          .map(status -> assertThat(status.waitingTakers()).isEqualTo(1))
          .compose(v -> channel.put("a"))
          .compose(v -> take)
          .map(item -> assertThat(item).isEqualTo("a"))
          .compose(v -> channel.put("b"))
          .compose(v -> Future.all(channel.put("c", Duration.ofSeconds(10)), channel.take()))
          .map(both -> assertThat(both.<String>resultAt(1)).isEqualTo("b"))
          .compose(v -> channel.poll())
          .map(item -> assertThat(item).isEqualTo("c"));
    });
  }

  @Test
  void negativeOrNullTimeoutsAreRejectedAndChangeNothing(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "negative-timeout", 1, channel -> failsWith(channel.put("a", Duration.ofMillis(-1)), IllegalArgumentException.class)
        .compose(v -> failsWith(channel.take(Duration.ofMillis(-1)), IllegalArgumentException.class))
        .compose(v -> failsWith(channel.put("a", null), IllegalArgumentException.class))
        .compose(v -> failsWith(channel.take(null), IllegalArgumentException.class))
        .compose(v -> failsWith(channel.take(0), IllegalArgumentException.class))
        .compose(v -> failsWith(channel.take(-1), IllegalArgumentException.class))
        .compose(v -> channel.status())
        .map(status -> {
          assertThat(status.totalPut()).isZero();
          assertThat(status.size()).isZero();
          assertThat(status.waitingTakers()).isZero();
          return status;
        }));
  }

  // null items

  @Test
  void nullItemsAreRejectedAndChangeNothing(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "nulls", 1, channel -> {
      Future<String> waitingTake = channel.take();
      return channel.status().compose(before -> {
        List<Future<?>> rejected = List.of(channel.put(null), channel.offer(null), channel.put(null, Duration.ofSeconds(1)),
            channel.put(null, Duration.ZERO), channel.putAll(null), channel.putAll(Arrays.asList("a", null)));
        return allFailWith(rejected, NullPointerException.class)
            .map(failures -> {
              failures.forEach(failure -> assertThat(failure).hasMessageContaining("'nulls'").hasMessageContaining("null"));
              assertPending(waitingTake);
              return failures;
            })
            .compose(v -> channel.status())
            .map(after -> assertThat(after).isEqualTo(before));
      })
          .compose(v -> channel.put("a"))
          .compose(v -> waitingTake)
          .map(item -> assertThat(item).isEqualTo("a"));
    });
  }

  @Test
  void aNullItemIsRejectedEvenOnAClosedChannel(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "nulls-closed", 1, channel -> channel.close()
        .compose(v -> failsWith(channel.put(null), NullPointerException.class))
        .compose(v -> failsWith(channel.offer(null), NullPointerException.class)));
  }

  // rendezvous

  @Test
  void aRendezvousPutCompletesOnlyWhenATakerHasTheItem(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "rendezvous", 0, channel -> {
      assertThat(channel.capacity()).isZero();
      Future<Void> put = channel.put("a");
      return channel.status()
          .map(status -> {
            assertThat(status.waitingPutters()).isEqualTo(1);
            assertThat(status.size()).isZero();
            assertThat(status.totalPut()).isZero();
            assertPending(put);
            return status;
          })
          .compose(v -> channel.take())
          .map(item -> assertThat(item).isEqualTo("a"))
          .compose(v -> put)
          .compose(v -> channel.status())
          .map(status -> {
            assertThat(status.waitingPutters()).isZero();
            assertThat(status.size()).isZero();
            assertThat(status.totalPut()).isEqualTo(1);
            return status;
          });
    });
  }

  @Test
  void aRendezvousOfferNeedsAWaitingTakerAndAPollAWaitingPutter(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "rendezvous-now", 0, channel -> channel.status()
        .map(status -> assertThat(status.unbounded()).as("capacity 0 is rendezvous, not unbounded").isFalse())
        .compose(v -> failsWith(channel.offer("a"), ChannelFullException.class))
        .compose(v -> failsWith(channel.poll(), ChannelEmptyException.class))
        .compose(v -> {
          Future<String> take = channel.take();
          return channel.status()
              .map(status -> assertThat(status.waitingTakers()).isEqualTo(1))
              .compose(v2 -> channel.offer("b"))
              .compose(v2 -> take)
              .map(item -> assertThat(item).isEqualTo("b"));
        })
        .compose(v -> {
          Future<Void> put = channel.put("c");
          return channel.status()
              .map(status -> assertThat(status.waitingPutters()).isEqualTo(1))
              .compose(v2 -> channel.poll())
              .map(item -> assertThat(item).isEqualTo("c"))
              .compose(v2 -> put);
        })
        .compose(v -> failsWith(channel.poll(), ChannelEmptyException.class)));
  }

  @Test
  void closeFailsAWaitingRendezvousPutterAndFinishesTheChannel(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "rendezvous-close", 0, channel -> {
      Future<Void> put = channel.put("a");
      return channel.status()
          .map(status -> assertThat(status.waitingPutters()).isEqualTo(1))
          .compose(v -> channel.close())
          .compose(v -> failsWith(put, ChannelClosedException.class))
          .compose(v -> failsWith(channel.take(), ChannelClosedException.class))
          .compose(v -> channel.status())
          .map(status -> {
            assertThat(status.finished()).isTrue();
            assertThat(status.totalPut()).isZero();
            return status;
          });
    });
  }

  // unbounded

  @Test
  void anUnboundedChannelNeverMakesAPutWait(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "unbounded", Channel.UNBOUNDED, channel -> {
      assertThat(channel.capacity()).isEqualTo(Channel.UNBOUNDED);
      return all(IntStream.range(0, 1000).mapToObj(i -> channel.put("" + i, Duration.ZERO)).toList())
          .compose(v -> channel.offer("1000"))
          .compose(v -> channel.status())
          .map(status -> {
            assertThat(status.unbounded()).isTrue();
            assertThat(status.size()).isEqualTo(1001);
            assertThat(status.waitingPutters()).isZero();
            return status;
          })
          .compose(v -> channel.take(1001))
          .map(items -> assertThat(items).isEqualTo(IntStream.rangeClosed(0, 1000).mapToObj(i -> "" + i).toList()));
    });
  }

  // putAll

  @Test
  void putAllEnqueuesTheItemsInOrder(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "put-all", 10, channel -> channel.put("first")
        .compose(v -> channel.putAll(List.of("a", "b", "c")))
        .map(enqueued -> assertThat(enqueued).isEqualTo(3))
        .compose(v -> channel.putAll(List.of()))
        .map(enqueued -> assertThat(enqueued).isZero())
        .compose(v -> drainOpen(channel, 4))
        .map(taken -> assertThat(taken).containsExactly("first", "a", "b", "c")));
  }

  @Test
  void putAllWaitsForRoomAsItsItemsAreTaken(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "put-all-waits", 2, channel -> {
      List<String> items = IntStream.range(0, 7).mapToObj(i -> "item-" + i).toList();
      Future<Integer> putAll = channel.putAll(items);
      return channel.status()
          .map(status -> {
            assertThat(status.size()).isEqualTo(2);
            assertPending(putAll);
            return status;
          })
          .compose(v -> takeSequentially(channel, 7))
          .map(taken -> assertThat(taken).isEqualTo(items))
          .compose(v -> putAll)
          .map(enqueued -> assertThat(enqueued).isEqualTo(7));
    });
  }

  @Test
  void putAllClosedMidwayCompletesWithHowManyWereEnqueued(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "put-all-closed", 2, channel -> {
      Future<Integer> putAll = channel.putAll(List.of("a", "b", "c", "d", "e"));
      return channel.status()
          .map(status -> assertThat(status.size()).isEqualTo(2))
          .compose(v -> channel.close())
          .compose(v -> putAll)
          .map(enqueued -> assertThat(enqueued).isEqualTo(2))
          .compose(v -> drain(channel))
          .map(drained -> assertThat(drained).containsExactly("a", "b"))
          .compose(v -> channel.status())
          .map(status -> {
            assertThat(status.totalPut()).isEqualTo(2);
            assertThat(status.finished()).isTrue();
            return status;
          });
    });
  }

  @Test
  void putAllOnAClosedChannelFailsClosedAndEnqueuesNothing(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "put-all-after-close", 10, channel -> channel.close()
        .compose(v -> failsWith(channel.putAll(List.of("a", "b")), ChannelClosedException.class))
        .compose(v -> failsWith(channel.putAll(List.of()), ChannelClosedException.class))
        .compose(v -> channel.status())
        .map(status -> assertThat(status.totalPut()).isZero()));
  }

  // take(max)

  @Test
  void takeMaxTakesWhatIsThereUpToMaxOldestFirst(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "take-max", 10, channel -> channel.putAll(List.of("a", "b", "c", "d", "e"))
        .compose(v -> channel.take(3))
        .map(batch -> assertThat(batch).containsExactly("a", "b", "c"))
        .compose(v -> channel.take(10))
        .map(batch -> assertThat(batch).containsExactly("d", "e"))
        .compose(v -> channel.status())
        .map(status -> {
          assertThat(status.size()).isZero();
          assertThat(status.totalTaken()).isEqualTo(5);
          assertThat(status.inFlight()).isZero();
          return status;
        }));
  }

  @Test
  void takeMaxWaitsForTheFirstItem(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "take-max-waits", 10, channel -> {
      Future<List<String>> batch = channel.take(5);
      return channel.status()
          .map(status -> {
            assertThat(status.waitingTakers()).isEqualTo(1);
            assertPending(batch);
            return status;
          })
          .compose(v -> channel.put("a"))
          .compose(v -> batch)
          .map(items -> assertThat(items).containsExactly("a"));
    });
  }

  @Test
  void takeMaxOnAClosedAndDrainedChannelFailsClosed(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "take-max-closed", 10, channel -> channel.put("a")
        .compose(v -> channel.close())
        .compose(v -> channel.take(5))
        .map(items -> assertThat(items).containsExactly("a"))
        .compose(v -> failsWith(channel.take(5), ChannelClosedException.class)));
  }

  // status

  @Test
  void aFreshChannelReportsItsShape(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "fresh", 7, channel -> {
      assertThat(channel.name()).isEqualTo("fresh");
      assertThat(channel.capacity()).isEqualTo(7);
      return channel.status().map(status -> {
        assertThat(status).isEqualTo(new ChannelStatus("fresh", 7, 0, false, false, 0, 0, 0, 0, 0));
        assertThat(channel.size()).isZero();
        assertThat(channel.isClosed()).isFalse();
        assertThat(channel.isFinished()).isFalse();
        return status;
      });
    });
  }

  @Test
  void countsIncludeHandOffsAndExcludeFailedTimedOutOrRejectedPuts(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "counts", 2, channel -> {
      Future<String> waiting = channel.take();
      return channel.status()
          .map(status -> assertThat(status.waitingTakers()).isEqualTo(1))
          .compose(v -> channel.put("handed-off"))                                              // put 1
          .compose(v -> waiting)                                                                // taken 1
          .compose(v -> channel.put("a"))                                                       // put 2
          .compose(v -> channel.offer("b"))                                                     // put 3
          .compose(v -> failsWith(channel.offer("full"), ChannelFullException.class))          // not counted
          .compose(v -> failsWith(channel.put("zero", Duration.ZERO), ChannelTimeoutException.class))
          .compose(v -> failsWith(channel.put(null), NullPointerException.class))
          .compose(v -> failsWith(channel.put("timed", Duration.ofMillis(20)), ChannelTimeoutException.class))
          .compose(v -> channel.status())
          .map(status -> assertThat(status).isEqualTo(new ChannelStatus("counts", 2, 2, false, false, 0, 0, 3, 1, 0)))
          .compose(v -> channel.take())                                                         // taken 2
          .compose(v -> channel.poll())                                                         // taken 3
          .compose(v -> channel.close())
          .compose(v -> failsWith(channel.put("after-close"), ChannelClosedException.class))   // not counted
          .compose(v -> failsWith(channel.poll(), ChannelClosedException.class))                // not counted
          .compose(v -> channel.status())
          .map(status -> assertThat(status).isEqualTo(new ChannelStatus("counts", 2, 0, true, true, 0, 0, 3, 3, 0)));
    });
  }

  @Test
  void takenItemsAreCountedAndNothingStaysInFlight(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "in-flight", 10, channel -> channel.putAll(List.of("a", "b", "c", "d"))
        // each next call is made while the previous take completes
        .compose(v -> channel.take())
        .compose(a -> channel.take())
        .compose(b -> channel.poll())
        .compose(c -> channel.status())
        .map(status -> {
          assertThat(status.inFlight()).isZero();
          assertThat(status.totalTaken()).isEqualTo(3);
          assertThat(status.size()).isEqualTo(1);
          return status;
        })
        .compose(v -> channel.take(Duration.ofSeconds(5)))
        .compose(d -> channel.status())
        .map(status -> {
          assertThat(status.inFlight()).isZero();
          assertThat(status.totalTaken()).isEqualTo(4);
          return status;
        }));
  }

  @Test
  void putsFailedByCloseAreNotCounted(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "close-counts", 0, channel -> {
      List<Future<Void>> puts = List.of(channel.put("a"), channel.put("b"));
      return channel.status()
          .map(status -> assertThat(status.waitingPutters()).isEqualTo(2))
          .compose(v -> channel.close())
          .compose(v -> allFailWith(puts, ChannelClosedException.class))
          .compose(v -> channel.status())
          .map(status -> assertThat(status).isEqualTo(new ChannelStatus("close-counts", 0, 0, true, true, 0, 0, 0, 0, 0)));
    });
  }

  @Test
  void theGettersReflectTheStatesTheCallerHasSeen(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "getters", 5, channel -> channel.putAll(List.of("a", "b", "c"))
        .compose(v -> channel.status())
        .map(status -> {
          assertThat(channel.size()).isEqualTo(3);
          assertThat(channel.capacity()).isEqualTo(5);
          assertThat(channel.isClosed()).isFalse();
          return status;
        })
        .compose(v -> channel.close())
        .map(v -> {
          assertThat(channel.isClosed()).isTrue();
          assertThat(channel.isFinished()).isFalse();
          return v;
        })
        .compose(v -> drain(channel))
        .map(v -> {
          assertThat(channel.isFinished()).isTrue();
          assertThat(channel.size()).isZero();
          return v;
        }));
  }

  // stream

  @Test
  void aStreamDeliversEveryItemInOrderThenEndsOnce(Vertx vertx, VertxTestContext test) {
    List<String> items = IntStream.range(0, 200).mapToObj(i -> "item-" + i).toList();
    run(vertx, test, "stream", 8, channel -> {
      List<String> received = new ArrayList<>();
      int[] ends = new int[1];
      Future<Void> ended = Future.future(end -> channel.stream()
          .handler(item -> {
            assertThat(ends[0]).as("an item after the end").isZero();
            received.add(item);
          })
          .exceptionHandler(end::tryFail)
          .endHandler(v -> {
            ends[0]++;
            end.tryComplete();
          }));
      return sequentially(items.stream().map(item -> () -> channel.put(item)))
          .compose(v -> channel.close())
          .compose(v -> ended)
          .compose(v -> channel.status())
          .map(status -> {
            assertThat(received).isEqualTo(items);
            assertThat(ends[0]).isEqualTo(1);
            assertThat(status.finished()).isTrue();
            assertThat(status.totalTaken()).isEqualTo(200);
            return status;
          });
    });
  }

  @Test
  void aStreamTakesOnlyWhileThereIsDemand(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "stream-demand", 10, channel -> channel.putAll(List.of("a", "b", "c", "d", "e"))
        .compose(v -> {
          List<String> received = new ArrayList<>();
          return Future.<List<String>>future(twoReceived -> {
            var stream = channel.stream();
            stream.pause();
            stream.handler(item -> {
              received.add(item);
              if (received.size() == 2) {
                twoReceived.complete(received);
              }
            });
            stream.fetch(2);
          })
              .compose(two -> channel.status())
              .map(status -> {
                // nothing taken beyond the demand (a stream may hold items in flight, unacknowledged)
                assertThat(received).containsExactly("a", "b");
                assertThat(status.totalTaken()).isEqualTo(2);
                assertThat(status.size() + status.inFlight()).isEqualTo(3);
                return status;
              });
        }));
  }

  // consume

  @Test
  void consumeProcessesEveryItemThenCompletesWhenTheChannelFinishes(Vertx vertx, VertxTestContext test) {
    List<String> items = IntStream.range(0, 300).mapToObj(i -> "job-" + i).toList();
    run(vertx, test, "consume", 16, channel -> {
      List<String> processed = new ArrayList<>();
      Future<Void> consumed = channel.consume(item -> {
        processed.add(item);
        return Future.succeededFuture();
      });
      return channel.putAll(items)
          .compose(enqueued -> channel.close())
          .compose(v -> consumed)
          .compose(v -> channel.status())
          .map(status -> {
            assertThat(processed).isEqualTo(items);
            assertThat(status.finished()).isTrue();
            assertThat(status.totalTaken()).isEqualTo(300);
            assertThat(status.inFlight()).isZero();
            return status;
          });
    });
  }

  @Test
  void consumeWaitsForEachItemsProcessingBeforeItCompletes(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "consume-async", 4, channel -> {
      List<String> done = new ArrayList<>();
      Future<Void> consumed = channel.consume(item -> Future.future(finished -> vertx.setTimer(5, id -> {
        done.add(item);
        finished.complete();
      })));
      return channel.putAll(List.of("a", "b", "c"))
          .compose(enqueued -> channel.close())
          .compose(v -> consumed)
          .map(v -> {
            assertThat(done).containsExactlyInAnyOrder("a", "b", "c");
            return v;
          });
    });
  }

  @Test
  void consumeStopsAndFailsWithTheCauseOfAnItemThatCannotGoBack(Vertx vertx, VertxTestContext test) {
    run(vertx, test, "consume-fails", 4, channel -> {
      IllegalStateException broken = new IllegalStateException("cannot process b");
      Future<Void> consumed = channel.consume(item -> item.equals("b")
          ? Future.failedFuture(broken) : Future.succeededFuture());
      return channel.putAll(List.of("a", "b"))
          .compose(enqueued -> consumed.transform(outcome -> {
            assertThat(outcome.failed()).as("consume failed").isTrue();
            assertThat(outcome.cause()).isSameAs(broken);
            return Future.succeededFuture();
          }));
    });
  }

  // helpers

  /**
   * Runs {@code body} with a new channel on a fresh context of its own; the test passes when the
   * future it returns succeeds (a failed assertion inside a {@code map} fails that future).
   */
  private void run(Vertx vertx, VertxTestContext test, String name, int capacity,
      Function<Channel<String>, Future<?>> body) {
    Context caller = ((VertxInternal) vertx).createEventLoopContext();
    caller.runOnContext(v -> channel(vertx, name, capacity)
        .compose(channel -> {
          try {
            return body.apply(channel);
          } catch (Throwable failure) {
            return Future.failedFuture(failure);
          }
        })
        .onComplete(test.succeedingThenComplete()));
  }

  private static void assertPending(Future<?> future) {
    assertThat(future.isComplete()).as("future completed with %s", future).isFalse();
  }

  /** Succeeds with the failure if {@code future} fails with a {@code type}; fails otherwise. */
  private static Future<Throwable> failsWith(Future<?> future, Class<? extends Throwable> type) {
    return future.transform(outcome -> {
      assertThat(outcome.succeeded()).as("expected a %s, but it succeeded with %s", type.getSimpleName(),
          outcome.succeeded() ? outcome.result() : null).isFalse();
      assertThat(outcome.cause()).isInstanceOf(type);
      return Future.succeededFuture(outcome.cause());
    });
  }

  private static Future<List<Throwable>> allFailWith(List<? extends Future<?>> futures, Class<? extends Throwable> type) {
    return all(futures.stream().map(future -> failsWith(future, type)).toList());
  }

  /** The results of {@code futures}, in their order, once all succeeded. */
  private static <T> Future<List<T>> all(List<? extends Future<? extends T>> futures) {
    return Future.all(futures).map(done -> futures.stream().<T>map(Future::result).toList());
  }

  /** Runs each step once the previous one has succeeded. */
  @SafeVarargs
  private static Future<Void> sequentially(Supplier<Future<?>>... steps) {
    return sequentially(Arrays.stream(steps));
  }

  private static Future<Void> sequentially(java.util.stream.Stream<Supplier<Future<?>>> steps) {
    Future<?> chain = Future.succeededFuture();
    for (Supplier<Future<?>> step : (Iterable<Supplier<Future<?>>>) steps::iterator) {
      chain = chain.compose(v -> step.get());
    }
    return chain.mapEmpty();
  }

  /** {@code count} takes, each made once the previous one completed. */
  private static Future<List<String>> takeSequentially(Channel<String> channel, int count) {
    List<String> taken = new ArrayList<>();
    Future<?> chain = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      chain = chain.compose(v -> channel.take().map(taken::add));
    }
    return chain.map(v -> taken);
  }

  /** {@code count} polls of an open channel, each made once the previous one completed. */
  private static Future<List<String>> drainOpen(Channel<String> channel, int count) {
    List<String> taken = new ArrayList<>();
    Future<?> chain = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      chain = chain.compose(v -> channel.poll().map(taken::add));
    }
    return chain.compose(v -> failsWith(channel.poll(), ChannelEmptyException.class)).map(v -> taken);
  }

  /** Takes from a closed channel until it fails closed; the items taken. */
  private static Future<List<String>> drain(Channel<String> channel) {
    List<String> taken = new ArrayList<>();
    return drainInto(channel, taken).map(v -> taken);
  }

  private static Future<Void> drainInto(Channel<String> channel, List<String> taken) {
    return channel.take().transform(outcome -> {
      if (outcome.succeeded()) {
        taken.add(outcome.result());
        return drainInto(channel, taken);
      }
      assertThat(outcome.cause()).isInstanceOf(ChannelClosedException.class);
      return Future.succeededFuture();
    });
  }

  /** {@code futures}, each adding its index to {@code order} when it completes (before anything waiting on it). */
  private static <T> List<Future<T>> recordingOrder(List<Future<T>> futures, List<Integer> order) {
    List<Future<T>> recording = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      int index = i;
      recording.add(futures.get(i).andThen(outcome -> order.add(index)));
    }
    return recording;
  }
}
