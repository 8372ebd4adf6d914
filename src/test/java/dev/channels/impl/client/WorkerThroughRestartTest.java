package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.deployHost;
import static dev.channels.impl.client.ClientTesting.failsWith;
import static dev.channels.impl.client.ClientTesting.onNewContext;
import static dev.channels.impl.client.ClientTesting.recordOutbound;
import static dev.channels.impl.client.Polling.statusWhen;
import static dev.channels.impl.client.Polling.when;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelClosedException;
import dev.channels.ChannelNotFoundException;
import dev.channels.ChannelUnavailableException;
import dev.channels.impl.client.ClientTesting.Sent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A host restarted under its clients (undeployed, and a new host deployed at the same address on
 * the same Vert.x, which adopts the channels the old one parked, items and all): a worker's take
 * loop and a {@code consume} ride through it, every item is taken once, and the channel then ends
 * as usual; with no new host, what waits fails {@link ChannelUnavailableException} after the
 * client's {@code unavailableTimeoutMs}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class WorkerThroughRestartTest {

  private static final JsonObject CONFIG = new JsonObject();
  private static final long BOUND_MS = 5_000;

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  /** Creates 'jobs' and puts 0 to 9. */
  private static Future<Channel<Integer>> jobsHoldingTen(ChannelClient client) {
    Channel<Integer> jobs = client.channel("jobs", Integer.class);
    return client.create("jobs", Channel.UNBOUNDED).compose(created -> jobs.putAll(range(0, 10))).map(jobs);
  }

  /**
   * Deploys a host, creates 'jobs' and puts 0 into it (the client has seen it served), then
   * undeploys the host: with nothing outstanding then, the client learns nothing of the stop.
   */
  private static Future<Void> idleWhileItsHostStops(Vertx vertx, ChannelClient client, Channel<Integer> jobs) {
    return deployHost(vertx, CONFIG).compose(hostId -> client.create("jobs", Channel.UNBOUNDED)
        .compose(created -> jobs.put(0))
        .compose(put -> vertx.undeploy(hostId)));
  }

  /** The README's worker: takes until the channel ends, each take made as the previous one completes. */
  private static void work(Channel<Integer> jobs, List<Integer> taken, Promise<Throwable> ended) {
    jobs.take().onComplete(item -> {
      taken.add(item);
      work(jobs, taken, ended);
    }, ended::complete);
  }

  private static long sentOf(List<Sent> sent, String action) {
    return sent.stream().filter(message -> action.equals(message.action())).count();
  }

  /**
   * Undeploys the host {@code hostId}, waits until {@code action} has been sent again while no host
   * serves the channel (the client riding through) or {@code goingOn} has completed (it gave up),
   * checks that it goes on, runs {@code meanwhile} with what was sent since the stop began, then
   * deploys a new host.
   */
  private static Future<String> restart(Vertx vertx, String hostId, String action, Future<?> goingOn,
      Consumer<List<Sent>> meanwhile) {
    List<Sent> sent = recordOutbound(vertx);
    return vertx.undeploy(hostId)
        .compose(stopped -> {
          long sentAtStop = sentOf(sent, action);
          return when(vertx, "a " + action + " sent again while no host serves the channel", BOUND_MS,
              () -> sentOf(sent, action) > sentAtStop || goingOn.isComplete());
        })
        .compose(retried -> {
          assertThat(goingOn.isComplete()).as("going on while no host serves the channel, but it ended with %s",
              goingOn.isComplete() ? (goingOn.failed() ? goingOn.cause() : goingOn.result()) : null).isFalse();
          meanwhile.accept(sent);
          return deployHost(vertx, CONFIG);
        });
  }

  @Test
  void aWorkersTakeLoopRidesThroughAHostRestartAndTakesEveryItemOnce(Vertx vertx, VertxTestContext test) {
    ChannelClient client = ChannelClient.create(vertx);
    List<Integer> taken = new ArrayList<>();
    Promise<Throwable> ended = Promise.promise();
    int[] joinedEvents = {0};
    onNewContext(vertx, test, () -> deployHost(vertx, CONFIG)
        .compose(hostId -> jobsHoldingTen(client).compose(jobs -> {
          vertx.eventBus().consumer("channels.jobs.joined", event -> joinedEvents[0]++);
          work(jobs, taken, ended);
          Future<Void> joinedAcross = jobs.join(); // waits through the restart too
          return when(vertx, "items 0 to 9 taken", BOUND_MS, () -> taken.size() == 10)
              .compose(v -> statusWhen(vertx, jobs, "the worker's take waiting", BOUND_MS,
                  status -> status.waitingTakers() == 1))
              .compose(waiting -> restart(vertx, hostId, "take", ended.future(), sent -> {
                assertThat(sent).as("the stopping host refused the waiting take 421 UNAVAILABLE").filteredOn(
                        message -> message.body() instanceof ReplyException refused && refused.failureCode() == 421)
                    .isNotEmpty();
                assertThat(jobs.isClosed()).isFalse();
                assertThat(jobs.isFinished()).isFalse();
              }))
              .compose(newHostId -> jobs.putAll(range(10, 20)))
              .compose(enqueued -> {
                assertThat(jobs.isClosed()).isFalse();
                assertThat(jobs.isFinished()).isFalse();
                return jobs.close();
              })
              .compose(closed -> ended.future())
              .compose(end -> {
                assertThat(end).isInstanceOf(ChannelClosedException.class);
                return joinedAcross;
              })
              .compose(joined -> jobs.join())
              .compose(joined -> when(vertx, "the joined event", BOUND_MS, () -> joinedEvents[0] > 0))
              .compose(v -> jobs.status());
        }))
        .map(status -> {
          assertThat(taken).as("every item once, in order").containsExactlyElementsOf(range(0, 20));
          assertThat(status.totalTaken()).isEqualTo(20);
          assertThat(status.inFlight()).isZero();
          assertThat(status.finished()).isTrue();
          assertThat(joinedEvents[0]).as("joined events").isEqualTo(1);
          return status;
        }));
  }

  @Test
  void aConsumeRidesThroughAHostRestartRegisteringAgain(Vertx vertx, VertxTestContext test) {
    ChannelClient client = ChannelClient.create(vertx);
    List<Integer> processed = new ArrayList<>();
    onNewContext(vertx, test, () -> deployHost(vertx, CONFIG)
        .compose(hostId -> jobsHoldingTen(client).compose(jobs -> {
          Future<Void> consumed = jobs.consume(item -> {
            processed.add(item);
            return Future.succeededFuture();
          });
          return when(vertx, "items 0 to 9 processed", BOUND_MS, () -> processed.size() == 10)
              .compose(v -> statusWhen(vertx, jobs, "the consumer waiting", BOUND_MS,
                  status -> status.waitingTakers() == 1))
              .compose(waiting -> restart(vertx, hostId, "consume", consumed, sent -> {
                assertThat(jobs.isClosed()).isFalse();
                assertThat(jobs.isFinished()).isFalse();
              }))
              .compose(newHostId -> statusWhen(vertx, jobs, "the consumer registered again", BOUND_MS,
                  status -> status.waitingTakers() == 1))
              .compose(registered -> jobs.putAll(range(10, 20)))
              .compose(enqueued -> jobs.close())
              .compose(closed -> consumed)
              .compose(done -> jobs.join())
              .compose(joined -> jobs.status());
        }))
        .map(status -> {
          assertThat(processed).as("every item once, in order").containsExactlyElementsOf(range(0, 20));
          assertThat(status.totalTaken()).isEqualTo(20);
          assertThat(status.redelivered()).isZero();
          assertThat(status.finished()).isTrue();
          return status;
        }));
  }

  @Test
  void aPutFromAnyClientWhileTheHostIsStoppedWaitsForTheNextHostButADeletedChannelIsNotFound(Vertx vertx,
      VertxTestContext test) {
    ChannelClient client = ChannelClient.create(vertx);
    Channel<Integer> jobs = client.channel("jobs", Integer.class);
    Channel<Integer> neverUsed = ChannelClient.create(vertx).channel("jobs", Integer.class);
    List<Sent> sent = recordOutbound(vertx);
    onNewContext(vertx, test, () -> idleWhileItsHostStops(vertx, client, jobs)
        .compose(stopped -> {
          long putsBefore = sentOf(sent, "put");
          Future<Void> put = jobs.put(1);
          // a client that never saw the channel served waits too: the parked channel's address is held
          Future<Void> newcomersPut = neverUsed.put(2);
          return when(vertx, "both puts sent again while no host serves the channel", BOUND_MS,
                  () -> sentOf(sent, "put") > putsBefore + 3 || put.isComplete() || newcomersPut.isComplete())
              .compose(retried -> {
                assertThat(put.isComplete()).as("the put waits for a host, but it ended with %s",
                    put.isComplete() ? put.cause() : null).isFalse();
                assertThat(newcomersPut.isComplete()).as("the newcomer's put waits for a host, but it ended with %s",
                    newcomersPut.isComplete() ? newcomersPut.cause() : null).isFalse();
                return deployHost(vertx, CONFIG);
              })
              .compose(newHostId -> Future.all(put, newcomersPut));
        })
        .compose(puts -> jobs.take(3))
        .compose(taken -> {
          assertThat(taken).as("the puts waiting at once may land in either order").hasSize(3).startsWith(0)
              .containsExactlyInAnyOrder(0, 1, 2);
          return client.delete("jobs");
        })
        .compose(deleted -> failsWith(jobs.put(2), ChannelNotFoundException.class))
        .map(notFound -> {
          assertThat(notFound).as("deleted: the registry does not list it").hasMessageContaining("does not exist");
          return notFound;
        }));
  }

  @Test
  void aConsumeStartedFromAClientThatWasIdleWhileItsHostStoppedWaitsForTheNextHost(Vertx vertx,
      VertxTestContext test) {
    ChannelClient client = ChannelClient.create(vertx);
    Channel<Integer> jobs = client.channel("jobs", Integer.class);
    List<Integer> consumed = new ArrayList<>();
    List<Sent> sent = recordOutbound(vertx);
    onNewContext(vertx, test, () -> idleWhileItsHostStops(vertx, client, jobs)
        .compose(stopped -> {
          long consumesBefore = sentOf(sent, "consume");
          Future<Void> consume = jobs.consume(item -> {
            consumed.add(item);
            return Future.succeededFuture();
          });
          // nobody serves the channel's address, nor the registry's: the registration waits for a host
          return when(vertx, "the consumer's registration sent again while no host serves the channel", BOUND_MS,
                  () -> sentOf(sent, "consume") > consumesBefore + 1 || consume.isComplete())
              .compose(retried -> {
                assertThat(consume.isComplete()).as("the consume waits for a host, but it ended with %s",
                    consume.isComplete() ? consume.cause() : null).isFalse();
                return deployHost(vertx, CONFIG);
              })
              .compose(newHostId -> jobs.put(1))
              .compose(put -> jobs.close())
              .compose(closed -> consume);
        })
        .map(ended -> {
          assertThat(consumed).containsExactly(0, 1);
          return ended;
        }));
  }

  @Test
  void withNoNewHostATakeAndAConsumeFailUnavailableAfterUnavailableTimeoutMs(Vertx vertx, VertxTestContext test) {
    ChannelClient client = ChannelClient.create(vertx, new ChannelClientOptions().setUnavailableTimeoutMs(300));
    Channel<Integer> jobs = client.channel("jobs", Integer.class);
    onNewContext(vertx, test, () -> deployHost(vertx, CONFIG)
        .compose(hostId -> client.create("jobs", Channel.UNBOUNDED).compose(created -> {
          Future<Integer> take = jobs.take();
          Future<Void> consumed = jobs.consume(item -> Future.succeededFuture());
          return statusWhen(vertx, jobs, "the take and the consumer waiting", BOUND_MS,
                  status -> status.waitingTakers() == 2)
              .compose(waiting -> vertx.undeploy(hostId))
              .compose(stopped -> failsWith(take, ChannelUnavailableException.class))
              .compose(unavailable -> {
                assertThat(unavailable).hasMessageContaining("'jobs'");
                return failsWith(consumed, ChannelUnavailableException.class);
              })
              .map(unavailable -> {
                assertThat(jobs.isClosed()).isFalse();
                assertThat(jobs.isFinished()).isFalse();
                return unavailable;
              });
        })));
  }
}
