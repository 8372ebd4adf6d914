package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.deployHost;
import static dev.channels.impl.client.ClientTesting.onNewContext;
import static dev.channels.impl.client.ClientTesting.recordOutbound;
import static dev.channels.impl.client.Polling.statusWhen;
import static dev.channels.impl.client.Polling.when;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.AckMode;
import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelStatus;
import dev.channels.Delivered;
import dev.channels.impl.client.ClientTesting.Sent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Demand of a remote channel's stream, as an application uses it: a stream that pauses or stops
 * inside its handler, partway through a push of several items, delivers nothing twice and gives
 * back at once what it did not deliver; {@code consume} never runs more than {@code prefetch}
 * processors; a stream stopped before its host answered its registration leaves nothing behind.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class StreamDemandTest {

  private static final int PREFETCH = 8;
  private static final int ITEMS = 20;
  /** Well below the host's default ack deadline (30 s): what comes back within it did not wait for that. */
  private static final long PROMPTLY_MS = 2_000;

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  /** A client whose streams are pushed up to {@link #PREFETCH} items at a time. */
  private static ChannelClient client(Vertx vertx, AckMode ackMode) {
    return ChannelClient.create(vertx, new ChannelClientOptions().setPrefetch(PREFETCH).setAckMode(ackMode));
  }

  /** Creates the channel 'jobs' and puts {@code items} in one put-all, so that a stream's first push holds several. */
  private static Future<Channel<Integer>> jobsHolding(ChannelClient client, List<Integer> items) {
    Channel<Integer> jobs = client.channel("jobs", Integer.class);
    return client.create("jobs", Channel.UNBOUNDED)
        .compose(created -> jobs.putAll(items))
        .map(enqueued -> jobs);
  }

  @Test
  void aStreamPausedInsideItsHandlerMidPushGivesBackWhatItHadNotDeliveredAtOnce(Vertx vertx, VertxTestContext test) {
    List<Integer> seen = new ArrayList<>();
    List<Throwable> reported = new ArrayList<>();
    Promise<ReadStream<Integer>> paused = Promise.promise();
    Promise<Void> ended = Promise.promise();
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject()) // ack deadline: the default 30 s
        .compose(id -> jobsHolding(client(vertx, AckMode.ON_DELIVERY), range(0, ITEMS)))
        .compose(jobs -> {
          ReadStream<Integer> stream = jobs.stream();
          stream.exceptionHandler(reported::add).endHandler(ended::complete).handler(item -> {
            seen.add(item);
            if (item == 2 && !paused.future().isComplete()) {
              stream.pause(); // items 3 to 7 of the first push are already here
              paused.complete(stream);
            }
          });
          return paused.future()
              .compose(pausedStream -> statusWhen(vertx, jobs, "items 3 to 19 back in the channel, none in flight",
                  PROMPTLY_MS, status -> status.inFlight() == 0 && status.size() == ITEMS - 3))
              .compose(whilePaused -> {
                assertThat(seen).as("delivered before the pause").containsExactly(0, 1, 2);
                assertThat(whilePaused.totalTaken()).isEqualTo(3);
                stream.resume();
                return jobs.close();
              })
              .compose(closed -> ended.future())
              .compose(end -> jobs.status());
        })
        .map(status -> {
          assertThat(seen).as("every item once, in order").containsExactlyElementsOf(range(0, ITEMS));
          assertThat(reported).isEmpty();
          assertThat(status.totalTaken()).isEqualTo(ITEMS);
          assertThat(status.inFlight()).isZero();
          return status;
        }));
  }

  @Test
  void aStreamPausedLongerThanTheAckDeadlineReportsNoTimeoutAndDeliversNothingTwice(Vertx vertx,
      VertxTestContext test) {
    List<Integer> seen = new ArrayList<>();
    List<Throwable> reported = new ArrayList<>();
    Promise<Void> ended = Promise.promise();
    boolean[] pausedOnce = {false};
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject().put("ackTimeoutMs", 200))
        .compose(id -> jobsHolding(client(vertx, AckMode.ON_DELIVERY), range(0, ITEMS)))
        .compose(jobs -> jobs.close().map(jobs))
        .compose(jobs -> {
          ReadStream<Integer> stream = jobs.stream();
          stream.exceptionHandler(reported::add).endHandler(ended::complete).handler(item -> {
            seen.add(item);
            if (item == 2 && !pausedOnce[0]) {
              pausedOnce[0] = true;
              stream.pause();
              vertx.setTimer(600, id -> stream.resume()); // three ack deadlines
            }
          });
          return ended.future().compose(end -> jobs.status());
        })
        .map(status -> {
          assertThat(seen).as("every item once, in order").containsExactlyElementsOf(range(0, ITEMS));
          assertThat(reported).as("nothing reported while merely paused").isEmpty();
          assertThat(status.totalTaken()).isEqualTo(ITEMS);
          assertThat(status.finished()).isTrue();
          return status;
        }));
  }

  @Test
  void aStreamStoppedInsideItsHandlerMidPushLeavesTheRestToTheNextStreamAndNothingTwice(Vertx vertx,
      VertxTestContext test) {
    List<Integer> first = new ArrayList<>();
    List<Integer> second = new ArrayList<>();
    Promise<Void> stopped = Promise.promise();
    Promise<Void> firstEnded = Promise.promise();
    Promise<Void> secondEnded = Promise.promise();
    ChannelStatus[] betweenStreams = new ChannelStatus[1];
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject())
        .compose(id -> jobsHolding(client(vertx, AckMode.ON_DELIVERY), range(0, ITEMS)))
        .compose(jobs -> jobs.close().map(jobs))
        .compose(jobs -> {
          ReadStream<Integer> stream = jobs.stream();
          stream.endHandler(firstEnded::complete).handler(item -> {
            first.add(item);
            if (item == 2) {
              stream.handler(null); // items 3 to 7 of the first push are already here
              stopped.complete();
            }
          });
          return stopped.future()
              .compose(v -> statusWhen(vertx, jobs, "the first stream gone, nothing in flight", PROMPTLY_MS,
                  status -> status.inFlight() == 0 && status.waitingTakers() == 0))
              .compose(status -> {
                betweenStreams[0] = status;
                jobs.stream().endHandler(secondEnded::complete).handler(second::add);
                return secondEnded.future();
              })
              .compose(end -> jobs.status());
        })
        .map(status -> {
          assertThat(first).containsExactly(0, 1, 2);
          assertThat(second).as("only what the first stream never had, once, in order")
              .containsExactlyElementsOf(range(3, ITEMS));
          assertThat(firstEnded.future().isComplete()).as("a stopped stream does not end").isFalse();
          assertThat(betweenStreams[0].size()).isEqualTo(ITEMS - 3);
          assertThat(status.totalTaken()).isEqualTo(ITEMS);
          assertThat(status.inFlight()).isZero();
          assertThat(status.finished()).isTrue();
          return status;
        }));
  }

  @Test
  void aStreamStoppedWhileAPushIsOnItsWayDeliversNothingTwice(Vertx vertx, VertxTestContext test) {
    List<Integer> first = new ArrayList<>();
    List<Integer> second = new ArrayList<>();
    Promise<Void> stopped = Promise.promise();
    Promise<Void> secondEnded = Promise.promise();
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject())
        .compose(id -> jobsHolding(ChannelClient.create(vertx, new ChannelClientOptions().setPrefetch(2)), List.of()))
        .compose(jobs -> {
          ReadStream<Integer> stream = jobs.stream();
          stream.handler(item -> {
            first.add(item);
            stream.handler(null); // the host still has credit: it may push again before it hears of this
            stopped.complete();
          });
          HeldAnswers held = HeldAnswers.from(vertx, Vertx.currentContext());
          return statusWhen(vertx, jobs, "the stream waiting", PROMPTLY_MS, status -> status.waitingTakers() == 1)
              .compose(waiting -> {
                held.hold(); // a busy host: it has not yet heard the stream's answers and cancel...
                return jobs.put(0);
              })
              .compose(put -> stopped.future())
              .compose(v -> jobs.put(1)) // ...when it pushes item 1
              .compose(put -> {
                held.release();
                return statusWhen(vertx, jobs, "the first stream gone, nothing in flight", PROMPTLY_MS,
                    status -> status.inFlight() == 0 && status.waitingTakers() == 0);
              })
              .compose(status -> jobs.close())
              .compose(closed -> {
                jobs.stream().endHandler(secondEnded::complete).handler(second::add);
                return secondEnded.future();
              })
              .compose(end -> jobs.status());
        })
        .map(status -> {
          assertThat(first).containsExactly(0);
          assertThat(second).as("only what the first stream never had").containsExactly(1);
          assertThat(status.redelivered()).as("item 1, pushed on its way, went back uncounted").isZero();
          assertThat(status.totalTaken()).isEqualTo(2);
          assertThat(status.finished()).isTrue();
          return status;
        }));
  }

  @Test
  void aStreamPipedIntoASlowWriteStreamDeliversEveryItemOnceInOrder(Vertx vertx, VertxTestContext test) {
    SlowWriteStream<Integer> slow = new SlowWriteStream<>(vertx, 10, 300);
    int items = 40;
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject().put("ackTimeoutMs", 200))
        .compose(id -> jobsHolding(client(vertx, AckMode.ON_DELIVERY), range(0, items)))
        .compose(jobs -> jobs.close().map(jobs))
        // the pipe fails if the stream reports a failure (a ChannelTimeoutException, say)
        .compose(jobs -> jobs.stream().pipeTo(slow).compose(piped -> jobs.status()))
        .map(status -> {
          assertThat(slow.written).as("every item once, in order").containsExactlyElementsOf(range(0, items));
          assertThat(slow.ended).isTrue();
          assertThat(slow.fullSpells).as("the write stream was full, and paused the stream, for longer than the"
              + " ack deadline").isGreaterThanOrEqualTo(3);
          assertThat(status.totalTaken()).isEqualTo(items);
          return status;
        }));
  }

  @ParameterizedTest(name = "acknowledging {0}")
  @EnumSource(AckMode.class)
  void consumeRunsAtMostPrefetchProcessorsAtOnce(AckMode ackMode, Vertx vertx, VertxTestContext test) {
    int[] calls = {0};
    int items = 300;
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject())
        .compose(id -> jobsHolding(client(vertx, ackMode), range(0, items)))
        .compose(jobs -> {
          jobs.consume(item -> {
            calls[0]++;
            return Promise.promise().future(); // never completes
          });
          return when(vertx, PREFETCH + " processors called", PROMPTLY_MS, () -> calls[0] >= PREFETCH)
              .compose(v -> vertx.timer(300)) // items are there to be had all along
              .compose(v -> jobs.status());
        })
        .map(status -> {
          assertThat(calls[0]).as("processors called, none completed").isEqualTo(PREFETCH);
          assertThat(status.size()).isEqualTo(items - PREFETCH);
          if (ackMode == AckMode.AFTER_PROCESSING) {
            assertThat(status.inFlight()).isEqualTo(PREFETCH);
          } else {
            assertThat(status.totalTaken()).isEqualTo(PREFETCH);
          }
          return status;
        }));
  }

  @Test
  void aStreamStoppedBeforeItsRegistrationWasAnsweredLeavesNoWaitingTaker(Vertx vertx, VertxTestContext test) {
    List<Integer> handled = new ArrayList<>();
    // one waiter per channel: a consumer left behind at the host would keep the take below out
    JsonObject config = new JsonObject().put("limits", new JsonObject().put("maxWaiters", 1));
    onNewContext(vertx, test, () -> deployHost(vertx, config)
        .compose(id -> jobsHolding(client(vertx, AckMode.ON_DELIVERY), List.of()))
        .compose(jobs -> {
          List<Sent> sent = recordOutbound(vertx);
          ReadStream<Integer> stream = jobs.stream();
          stream.handler(handled::add); // registers with the host...
          stream.handler(null); // ...and stops before the host can have answered
          return when(vertx, "the stream's consume sent", PROMPTLY_MS,
                  () -> sent.stream().anyMatch(message -> "consume".equals(message.action())))
              .compose(v -> statusWhen(vertx, jobs, "no waiting taker", PROMPTLY_MS,
                  status -> status.waitingTakers() == 0))
              .compose(v -> {
                Future<Integer> take = jobs.take(); // admitted: the only waiter
                return jobs.put(7).compose(put -> take);
              })
              .compose(taken -> {
                assertThat(taken).isEqualTo(7);
                return jobs.status();
              });
        })
        .map(status -> {
          assertThat(handled).isEmpty();
          assertThat(status.waitingTakers()).isZero();
          assertThat(status.inFlight()).isZero();
          assertThat(status.totalTaken()).isEqualTo(1);
          return status;
        }));
  }

  @Test
  void aStreamStoppedBeforeItsRegistrationWasAnsweredGivesBackWhatItWasPushedUncounted(Vertx vertx,
      VertxTestContext test) {
    List<Integer> handled = new ArrayList<>();
    List<Delivered<Integer>> next = new ArrayList<>();
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject())
        .compose(id -> jobsHolding(client(vertx, AckMode.ON_DELIVERY), range(0, ITEMS)))
        .compose(jobs -> jobs.close().map(jobs))
        .compose(jobs -> {
          ReadStream<Integer> stream = jobs.stream();
          stream.handler(handled::add);
          stream.handler(null); // the host pushes the first items after answering the registration
          return statusWhen(vertx, jobs, "every item back in the channel, no consumer", PROMPTLY_MS,
                  status -> status.inFlight() == 0 && status.waitingTakers() == 0 && status.size() == ITEMS)
              .compose(back -> jobs.consumeDeliveries(delivered -> {
                next.add(delivered);
                return Future.succeededFuture();
              }))
              .compose(consumed -> jobs.status());
        })
        .map(status -> {
          assertThat(handled).isEmpty();
          assertThat(next).extracting(Delivered::item).containsExactlyElementsOf(range(0, ITEMS));
          assertThat(next).as("handed out for the first time").allMatch(delivered -> delivered.deliveries() == 1);
          assertThat(status.redelivered()).isZero();
          return status;
        }));
  }

  /**
   * Holds back, while holding, what a context sends the host without an action of its own or as a
   * cancel: a stream's answers to pushes, and its cancel. Released in the order sent, as a host
   * slow to get to them would see them.
   */
  private static final class HeldAnswers {

    private final ContextInternal context;
    private final List<DeliveryContext<Object>> held = new ArrayList<>();
    private boolean holding;

    private HeldAnswers(ContextInternal context) {
      this.context = context;
    }

    static HeldAnswers from(Vertx vertx, Context context) {
      HeldAnswers answers = new HeldAnswers((ContextInternal) context);
      vertx.eventBus().addOutboundInterceptor((DeliveryContext<Object> delivery) -> {
        String action = delivery.message().headers().get("action");
        boolean answerOrCancel = action == null && delivery.message().address().startsWith("__vertx.reply.")
            || "cancel".equals(action);
        if (answers.holding && answerOrCancel && ContextInternal.current() != null
            && ContextInternal.current().unwrap() == answers.context.unwrap()) { // handlers run on duplicates
          answers.held.add(delivery);
        } else {
          delivery.next();
        }
      });
      return answers;
    }

    void hold() {
      holding = true;
    }

    /** Sends what was held, in order; called on the context. */
    void release() {
      holding = false;
      held.forEach(DeliveryContext::next);
      held.clear();
    }
  }

  /**
   * A write stream that can take {@code burst} writes, then is full for {@code fullMs} (a timer
   * drains it), again and again: a slow consumer that makes a pipe pause its source.
   */
  private static final class SlowWriteStream<T> implements WriteStream<T> {

    private final Vertx vertx;
    private final int burst;
    private final long fullMs;
    final List<T> written = new ArrayList<>();
    int fullSpells;
    boolean ended;
    private int sinceDrained;
    private boolean full;
    private Handler<Void> drainHandler;

    SlowWriteStream(Vertx vertx, int burst, long fullMs) {
      this.vertx = vertx;
      this.burst = burst;
      this.fullMs = fullMs;
    }

    @Override
    public WriteStream<T> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(T data) {
      written.add(data);
      if (++sinceDrained == burst && !full) {
        full = true;
        fullSpells++;
        vertx.setTimer(fullMs, id -> {
          full = false;
          sinceDrained = 0;
          Handler<Void> drained = drainHandler;
          if (drained != null) {
            drained.handle(null);
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
      drainHandler = handler;
      return this;
    }
  }
}
