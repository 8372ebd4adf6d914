package dev.channels.impl.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.impl.core.ChannelObserver;
import dev.channels.impl.core.ChannelState;
import dev.channels.impl.core.Waiter;
import dev.channels.impl.core.Delivery;
import dev.channels.impl.core.DeadLetter;
import dev.channels.Channel;
import dev.channels.ChannelStatus;
import dev.channels.impl.local.ReferenceChannel.Outcome;
import dev.channels.impl.protocol.Failure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of operations, run against the real channel and against {@link
 * ReferenceChannel}: after every step, each operation's outcome so far (what it returned, what each
 * waiter has received, or that it still waits) and the status must agree.
 *
 * <p>Two subjects: {@link ChannelState} driven directly, where a timeout is what a timer does, a
 * {@link ChannelState#cancel} of a chosen waiter at a chosen moment (fully deterministic), and
 * whose waiters are called back within the operation that serves them; and {@link LocalChannel} on
 * one context, whose whole sequence runs in one event-loop turn, so that its 1 ms timed waiters
 * can only expire after it, all at once. A waiting put or take that LocalChannel serves is settled
 * at once (the status shows it) but its future completes in a later turn: within the sequence it
 * must still be pending, and right after the turn it must have completed, in the order served.
 */
class ChannelModelProperties {

  /** What a step does; puts carry their step number as the item. */
  enum Kind {
    PUT, OFFER, TAKE, POLL, CLOSE, JOIN,
    // ChannelState only: the timer of the pick-th waiter ever made (modulo their number) fires
    EXPIRE,
    // ChannelState only: acknowledged take and poll; ack, nack, release or reject the pick-th delivery made
    TAKE_ACK, POLL_ACK, ACK, NACK, RELEASE, REJECT,
    // LocalChannel only: put or take with Duration.ZERO or with a 1 ms deadline, and a null put
    PUT_NO_WAIT, TAKE_NO_WAIT, PUT_TIMED, TAKE_TIMED, PUT_NULL
  }

  /** One step of a generated sequence. */
  record Action(Kind kind, int pick) {

    static Arbitrary<Action> of(Kind kind) {
      return Arbitraries.just(new Action(kind, 0));
    }

    @Override
    public String toString() {
      return switch (kind) {
        case EXPIRE, ACK, NACK, RELEASE, REJECT -> kind + "(" + pick + ")";
        default -> kind.name();
      };
    }
  }

  private static final Duration SHORT = Duration.ofMillis(1);

  private static Vertx vertx;

  @BeforeContainer
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterContainer
  static void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Provide
  Arbitrary<Integer> capacities() {
    return Arbitraries.of(0, 1, 2, 3, Channel.UNBOUNDED);
  }

  @Provide
  Arbitrary<List<Action>> stateActions() {
    return Arbitraries.frequencyOf(
            Tuple.of(6, Action.of(Kind.PUT)),
            Tuple.of(3, Action.of(Kind.OFFER)),
            Tuple.of(6, Action.of(Kind.TAKE)),
            Tuple.of(3, Action.of(Kind.POLL)),
            Tuple.of(3, Arbitraries.integers().between(0, 63).map(pick -> new Action(Kind.EXPIRE, pick))),
            Tuple.of(4, Action.of(Kind.TAKE_ACK)),
            Tuple.of(2, Action.of(Kind.POLL_ACK)),
            Tuple.of(3, Arbitraries.integers().between(0, 63).map(pick -> new Action(Kind.ACK, pick))),
            Tuple.of(3, Arbitraries.integers().between(0, 63).map(pick -> new Action(Kind.NACK, pick))),
            Tuple.of(1, Arbitraries.integers().between(0, 63).map(pick -> new Action(Kind.RELEASE, pick))),
            Tuple.of(1, Arbitraries.integers().between(0, 63).map(pick -> new Action(Kind.REJECT, pick))),
            Tuple.of(1, Action.of(Kind.JOIN)),
            Tuple.of(1, Action.of(Kind.CLOSE)))
        .list().ofMinSize(1).ofMaxSize(50);
  }

  @Provide
  Arbitrary<List<Action>> localActions() {
    return Arbitraries.frequencyOf(
            Tuple.of(5, Action.of(Kind.PUT)),
            Tuple.of(2, Action.of(Kind.OFFER)),
            Tuple.of(5, Action.of(Kind.TAKE)),
            Tuple.of(2, Action.of(Kind.POLL)),
            Tuple.of(2, Action.of(Kind.PUT_NO_WAIT)),
            Tuple.of(2, Action.of(Kind.TAKE_NO_WAIT)),
            Tuple.of(2, Action.of(Kind.PUT_TIMED)),
            Tuple.of(2, Action.of(Kind.TAKE_TIMED)),
            Tuple.of(1, Action.of(Kind.PUT_NULL)),
            Tuple.of(1, Action.of(Kind.JOIN)),
            Tuple.of(1, Action.of(Kind.CLOSE)))
        .list().ofMinSize(1).ofMaxSize(50);
  }

  @Provide
  Arbitrary<Integer> deliveryLimits() {
    return Arbitraries.of(ChannelState.UNLIMITED_DELIVERIES, 1, 2, 3);
  }

  @Property(tries = 3000)
  void channelStateAgreesWithTheModel(@ForAll("capacities") int capacity,
      @ForAll("deliveryLimits") int maxDeliveries, @ForAll("stateActions") List<Action> actions) {
    ReferenceChannel model = new ReferenceChannel("model", capacity, maxDeliveries);
    Map<Integer, Outcome> outcomes = new TreeMap<>();
    List<String> violations = new ArrayList<>();
    List<ChannelStatus> seenByCallbacks = new ArrayList<>();
    int[] finishes = new int[1];
    // dead letters reach their channel at once: the sink confirms within the call
    List<ChannelState<Integer>> self = new ArrayList<>(1);
    // what an observer sees of the items: every one that entered, every one that left for good
    long[] observed = new long[2];
    ChannelObserver<Integer> items = new ChannelObserver<>() {
      @Override
      public void put(Integer item) {
        observed[0]++;
      }

      @Override
      public void taken(Integer item) {
        observed[1]++;
      }

      @Override
      public void handedOut(Delivery<Integer> delivery) {
        if (!delivery.isInFlight()) {
          observed[1]++; // a plain take of an item given back
        }
      }

      @Override
      public void acknowledged(Delivery<Integer> delivery) {
        observed[1]++;
      }

      @Override
      public void deadLettered(Delivery<Integer> delivery) {
        observed[1]++;
      }
    };
    ChannelState<Integer> state = new ChannelState<>("model", capacity, maxDeliveries,
        ChannelObserver.both(items, ChannelObserver.whenFinished(() -> finishes[0]++)),
        delivery -> self.get(0).deadLettered(delivery));
    self.add(state);
    List<Recorder<?>> waiters = new ArrayList<>();
    // the deliveries of acknowledged takes, by the take's op, in the order made
    Map<Integer, Delivery<Integer>> handed = new java.util.LinkedHashMap<>();
    boolean closedWithWaiters = false;
    boolean expiredAWaiter = false;
    boolean gaveBackAnItem = false;
    boolean deadLetteredAnItem = false;

    for (int op = 0; op < actions.size(); op++) {
      Action action = actions.get(op);
      switch (action.kind()) {
        case PUT -> {
          model.put(op, op, null);
          switch (state.offer(op)) {
            case ACCEPTED -> outcomes.put(op, Outcome.OK);
            case CLOSED -> outcomes.put(op, Outcome.CLOSED);
            case FULL -> {
              Recorder<Void> putter = new Recorder<>(op, state, outcomes, violations, seenByCallbacks);
              outcomes.put(op, Outcome.PENDING);
              waiters.add(putter);
              state.enqueuePut(op, putter);
            }
          }
        }
        case OFFER -> {
          model.put(op, op, Outcome.FULL);
          outcomes.put(op, switch (state.offer(op)) {
            case ACCEPTED -> Outcome.OK;
            case FULL -> Outcome.FULL;
            case CLOSED -> Outcome.CLOSED;
          });
        }
        case TAKE -> {
          model.take(op, null);
          Integer item = state.poll();
          if (item != null) {
            outcomes.put(op, Outcome.item(item));
          } else if (state.isFinished()) {
            outcomes.put(op, Outcome.CLOSED);
          } else {
            Recorder<Integer> taker = new Recorder<>(op, state, outcomes, violations, seenByCallbacks);
            outcomes.put(op, Outcome.PENDING);
            waiters.add(taker);
            state.enqueueTake(taker);
          }
        }
        case POLL -> {
          model.take(op, Outcome.EMPTY);
          Integer item = state.poll();
          outcomes.put(op, item != null ? Outcome.item(item)
              : state.isFinished() ? Outcome.CLOSED : Outcome.EMPTY);
        }
        case TAKE_ACK -> {
          model.take(op, null, true);
          Delivery<Integer> delivery = state.pollDelivery(true);
          if (delivery != null) {
            outcomes.put(op, Outcome.item(delivery.item()));
            handed.put(op, delivery);
          } else if (state.isFinished()) {
            outcomes.put(op, Outcome.CLOSED);
          } else {
            Recorder<Integer> taker = new Recorder<>(op, state, outcomes, violations, seenByCallbacks);
            taker.handed = handed;
            outcomes.put(op, Outcome.PENDING);
            waiters.add(taker);
            state.enqueueTake(taker);
          }
        }
        case POLL_ACK -> {
          model.take(op, Outcome.EMPTY, true);
          Delivery<Integer> delivery = state.pollDelivery(true);
          if (delivery != null) {
            handed.put(op, delivery);
          }
          outcomes.put(op, delivery != null ? Outcome.item(delivery.item())
              : state.isFinished() ? Outcome.CLOSED : Outcome.EMPTY);
        }
        case ACK, NACK, RELEASE, REJECT -> {
          if (!handed.isEmpty()) {
            List<Integer> takes = new ArrayList<>(handed.keySet());
            int take = takes.get(action.pick() % takes.size());
            Delivery<Integer> delivery = handed.get(take);
            boolean settled = switch (action.kind()) {
              case ACK -> state.acknowledge(delivery);
              case NACK -> state.giveBack(delivery);
              case RELEASE -> state.release(delivery);
              default -> state.reject(delivery, DeadLetter.REJECTED, null);
            };
            assertThat(settled).as("step %d %s: settling the delivery of op %d", op, action, take)
                .isEqualTo(switch (action.kind()) {
                  case ACK -> model.acknowledge(take);
                  case NACK -> model.giveBack(take);
                  case RELEASE -> model.release(take);
                  default -> model.rejectDelivery(take);
                });
            gaveBackAnItem |= settled && action.kind() == Kind.NACK;
            deadLetteredAnItem |= settled && state.status().deadLettered() > 0;
          }
          outcomes.put(op, Outcome.OK);
          model.done(op);
        }
        case JOIN -> {
          model.join(op);
          Recorder<Void> joiner = new Recorder<>(op, state, outcomes, violations, seenByCallbacks);
          outcomes.put(op, Outcome.PENDING);
          waiters.add(joiner);
          state.awaitFinished(joiner);
        }
        case CLOSE -> {
          ChannelStatus before = state.status();
          closedWithWaiters |= !before.closed() && before.waitingPutters() + before.waitingTakers() > 0;
          assertThat(state.close()).as("step %d %s: close closed it", op, action).isEqualTo(model.close(op));
          outcomes.put(op, Outcome.OK);
        }
        case EXPIRE -> {
          if (!waiters.isEmpty()) {
            Recorder<?> waiter = waiters.get(action.pick() % waiters.size());
            boolean withdrawn = state.cancel(waiter);
            assertThat(withdrawn).as("step %d %s: cancel of op %d", op, action, waiter.op)
                .isEqualTo(model.expire(waiter.op));
            assertThat(waiter.isWaiting()).isFalse();
            expiredAWaiter |= withdrawn;
            if (withdrawn) {
              outcomes.put(waiter.op, Outcome.TIMEOUT); // what the owner's timer reports
            }
          }
        }
        default -> throw new IllegalArgumentException("not a ChannelState action: " + action);
      }

      ChannelStatus status = state.status();
      assertThat(violations).as("step %d %s", op, action).isEmpty();
      assertThat(outcomes).as("outcomes after step %d %s", op, action).isEqualTo(model.outcomes());
      assertThat(status).as("status after step %d %s", op, action).isEqualTo(model.status());
      assertThat(seenByCallbacks).as("status seen by callbacks of step %d %s", op, action)
          .allSatisfy(seen -> assertThat(seen).isEqualTo(status));
      seenByCallbacks.clear();
      assertThat(finishes[0]).as("finish notifications after step %d", op).isEqualTo(model.finishes());
      // a replica mirrors the items from these notifications alone: it must see each one come and go
      assertThat(observed[0]).as("items the observer saw enter, after step %d %s", op, action).isEqualTo(status.totalPut());
      assertThat(observed[1]).as("items the observer saw leave, after step %d %s", op, action)
          .isEqualTo(status.totalTaken() + status.deadLettered());
      assertThat(state.isFinished()).isEqualTo(status.finished());
      for (Recorder<?> waiter : waiters) {
        assertThat(waiter.isWaiting()).as("op %d waiting", waiter.op).isEqualTo(model.isWaiting(waiter.op));
      }
    }

    Statistics.label("capacity").collect(capacity == Channel.UNBOUNDED ? "unbounded" : capacity);
    // the generator must keep producing the interesting cases, or this property proves little
    Statistics.label("closed with waiters").collect(closedWithWaiters)
        .coverage(coverage -> coverage.check(true).percentage(p -> p >= 5));
    Statistics.label("a waiter expired").collect(expiredAWaiter)
        .coverage(coverage -> coverage.check(true).percentage(p -> p >= 5));
    Statistics.label("an item given back").collect(gaveBackAnItem)
        .coverage(coverage -> coverage.check(true).percentage(p -> p >= 5));
    Statistics.label("an item dead-lettered").collect(deadLetteredAnItem)
        .coverage(coverage -> coverage.check(true).percentage(p -> p >= 2));
    Statistics.label("final state").collect(
        model.status().finished() ? "finished" : model.status().closed() ? "closed" : "open");
  }

  @Property(tries = 1000)
  void localChannelAgreesWithTheModel(
      @ForAll("capacities") int capacity, @ForAll("localActions") List<Action> actions) throws Exception {
    Context context = ChannelTesting.newContext(vertx);
    CompletableFuture<Integer> checked = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        runOnLocalChannel(capacity, actions).onComplete(ar -> {
          if (ar.succeeded()) {
            checked.complete(ar.result());
          } else {
            checked.completeExceptionally(ar.cause());
          }
        });
      } catch (Throwable failure) {
        checked.completeExceptionally(failure);
      }
    });
    int served;
    try {
      served = checked.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException failed) {
      if (failed.getCause() instanceof AssertionError assertion) {
        throw assertion;
      }
      throw failed;
    }
    // the generator must keep producing waiters served within the sequence, told a turn later
    Statistics.label("waiters served within the sequence").collect(served > 0)
        .coverage(coverage -> coverage.check(true).percentage(p -> p >= 20));
  }

  /**
   * Runs the whole sequence in this event-loop turn (the channel lives on this context, so every
   * call completes or parks at once, and the waiters it serves are told in a later turn), checks
   * in the next turn that the served waiters have been told, then waits for the timed waiters that
   * are left to expire. Answers how many waiters the sequence served.
   */
  private Future<Integer> runOnLocalChannel(int capacity, List<Action> actions) {
    Context context = Vertx.currentContext();
    ReferenceChannel model = new ReferenceChannel("local", capacity);
    LocalChannel<Integer> channel = new LocalChannel<>(context, "local", capacity);
    Map<Integer, Outcome> outcomes = new TreeMap<>();
    List<String> violations = new ArrayList<>();
    List<Integer> completed = new ArrayList<>();
    List<Integer> served = new ArrayList<>();
    List<Integer> joins = new ArrayList<>();
    List<Integer> timedOps = new ArrayList<>();
    List<Future<?>> timedFutures = new ArrayList<>();

    for (int op = 0; op < actions.size(); op++) {
      Action action = actions.get(op);
      Map<Integer, Outcome> before = model.outcomes();
      Future<?> future = switch (action.kind()) {
        case PUT -> {
          model.put(op, op, null);
          yield channel.put(op);
        }
        case OFFER -> {
          model.put(op, op, Outcome.FULL);
          yield channel.offer(op);
        }
        case PUT_NO_WAIT -> {
          model.put(op, op, Outcome.TIMEOUT);
          yield channel.put(op, Duration.ZERO);
        }
        case PUT_TIMED -> {
          model.put(op, op, null);
          timedOps.add(op);
          yield channel.put(op, SHORT);
        }
        case PUT_NULL -> {
          model.reject(op);
          yield channel.put(null);
        }
        case TAKE -> {
          model.take(op, null);
          yield channel.take();
        }
        case POLL -> {
          model.take(op, Outcome.EMPTY);
          yield channel.poll();
        }
        case TAKE_NO_WAIT -> {
          model.take(op, Outcome.TIMEOUT);
          yield channel.take(Duration.ZERO);
        }
        case TAKE_TIMED -> {
          model.take(op, null);
          timedOps.add(op);
          yield channel.take(SHORT);
        }
        case JOIN -> {
          model.join(op);
          joins.add(op);
          yield channel.join();
        }
        case CLOSE -> {
          model.close(op);
          yield channel.close();
        }
        default -> throw new IllegalArgumentException("not a LocalChannel action: " + action);
      };
      record(op, action, future, outcomes, violations, completed);
      if (timedOps.contains(op)) {
        timedFutures.add(future);
      }
      // The waiting puts and takes this step served, in the order served: a step serves one
      // waiter, or (close) every waiter, and only one kind waits at a time, oldest first. If the
      // step finished the channel, the waiting joins are told after them, in the order joined.
      Map<Integer, Outcome> after = model.outcomes();
      List<Integer> servedJoins = new ArrayList<>();
      before.forEach((waiter, outcome) -> {
        if (outcome != Outcome.PENDING) {
          return;
        }
        if (joins.contains(waiter)) {
          if (after.get(waiter) != Outcome.PENDING) {
            servedJoins.add(waiter);
          }
        } else if (!model.isWaiting(waiter)) {
          served.add(waiter);
        }
      });
      served.addAll(servedJoins);
      check(channel, model, untold(model.outcomes(), served), outcomes, violations, "step " + op + " " + action);
    }

    // The served waiters' completions were queued on this context as they were served; a task
    // queued now runs behind them. The timers may fire before it or after: leave them out.
    int completedInTheTurn = completed.size();
    Promise<Void> toldAfterTheTurn = Promise.promise();
    context.runOnContext(v -> {
      try {
        assertThat(violations).as("the turn after the sequence").isEmpty();
        assertThat(completed.subList(completedInTheTurn, completed.size()))
            .as("completed in the turns after the sequence, timers aside")
            .filteredOn(op -> !timedOps.contains(op) || served.contains(op))
            .isEqualTo(served);
        Map<Integer, Outcome> expected = model.outcomes();
        for (int op : served) {
          assertThat(outcomes.get(op)).as("outcome of served op %d a turn later", op).isEqualTo(expected.get(op));
        }
        toldAfterTheTurn.complete();
      } catch (Throwable failure) {
        toldAfterTheTurn.fail(failure);
      }
    });

    // nothing but the timers can happen now, and every one of them must fire
    return toldAfterTheTurn.future().compose(told -> Future.join(timedFutures).transform(all -> {
      timedOps.forEach(model::expire);
      check(channel, model, model.outcomes(), outcomes, violations, "the timed waiters expired");
      return Future.succeededFuture(served.size());
    }));
  }

  /** {@code outcomes}, but the served waiters in {@code untold} still pending. */
  private static Map<Integer, Outcome> untold(Map<Integer, Outcome> outcomes, List<Integer> untold) {
    untold.forEach(op -> outcomes.put(op, Outcome.PENDING));
    return outcomes;
  }

  private static void record(int op, Action action, Future<?> future, Map<Integer, Outcome> outcomes,
      List<String> violations, List<Integer> completed) {
    outcomes.put(op, Outcome.PENDING);
    future.onComplete(ar -> {
      if (outcomes.get(op) != Outcome.PENDING) {
        violations.add("op " + op + " " + action + " completed again: " + ar);
      }
      completed.add(op);
      if (ar.failed()) {
        outcomes.put(op, Outcome.of(ar.cause()));
      } else {
        outcomes.put(op, ar.result() instanceof Integer item ? Outcome.item(item) : Outcome.OK);
      }
    });
  }

  private static void check(LocalChannel<Integer> channel, ReferenceChannel model, Map<Integer, Outcome> expected,
      Map<Integer, Outcome> outcomes, List<String> violations, String when) {
    assertThat(violations).as(when).isEmpty();
    assertThat(outcomes).as("outcomes after %s", when).isEqualTo(expected);
    Future<ChannelStatus> status = channel.status();
    assertThat(status.succeeded()).isTrue();
    assertThat(status.result()).as("status after %s", when).isEqualTo(model.status());
    assertThat(channel.isClosed()).isEqualTo(model.status().closed());
    assertThat(channel.isFinished()).isEqualTo(model.status().finished());
    assertThat(channel.size()).isEqualTo(model.status().size());
  }

  /** A waiter that records its single outcome and the state it saw when called back. */
  private static final class Recorder<R> extends Waiter<R> {

    final int op;
    private final ChannelState<?> state;
    private final Map<Integer, Outcome> outcomes;
    private final List<String> violations;
    private final List<ChannelStatus> seenByCallbacks;
    /** For an acknowledged take: where its delivery is recorded; {@code null} for the others. */
    Map<Integer, Delivery<Integer>> handed;

    Recorder(int op, ChannelState<?> state, Map<Integer, Outcome> outcomes, List<String> violations,
        List<ChannelStatus> seenByCallbacks) {
      this.op = op;
      this.state = state;
      this.outcomes = outcomes;
      this.violations = violations;
      this.seenByCallbacks = seenByCallbacks;
    }

    @Override
    protected boolean acknowledges() {
      return handed != null;
    }

    @Override
    protected void onSuccess(R result) {
      if (handed != null) {
        handed.put(op, delivery());
      }
      complete(result instanceof Integer item ? Outcome.item(item) : Outcome.OK);
    }

    @Override
    protected void onFailure(dev.channels.impl.core.Outcome outcome, String detail) {
      complete(Outcome.of(Failure.of(outcome).exception(detail)));
    }

    private void complete(Outcome outcome) {
      if (outcomes.get(op) != Outcome.PENDING) {
        violations.add("op " + op + " completed with " + outcome + " after " + outcomes.get(op));
      }
      if (isWaiting()) {
        violations.add("op " + op + " called back while still queued");
      }
      outcomes.put(op, outcome);
      seenByCallbacks.add(state.status());
    }
  }
}
