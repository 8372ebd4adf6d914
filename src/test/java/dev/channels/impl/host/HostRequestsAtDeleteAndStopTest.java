package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.CLOSED;
import static dev.channels.impl.host.HostRequests.UNAVAILABLE;
import static dev.channels.impl.host.HostRequests.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Requests that reached the host but were not handled yet when their channel was deleted, or when
 * the host stopped, get the host's answer (410 CLOSED, 421 UNAVAILABLE), never Vert.x's TIMEOUT
 * "Discarded the request", which a requester could not tell from a host that never answered.
 *
 * <p>The requests are sent in one turn of the host's event loop, right after the delete or the
 * undeploy: the host handles none of them before the turn ends, so every one of them is on its way
 * to the channel's address when that address is unregistered.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostRequestsAtDeleteAndStopTest extends HostTestBase {

  private static final long WAIT = 5_000;

  @Test
  void requestsSentInTheTurnOfADeleteAreAllRefusedClosedNeverDiscarded(VertxTestContext ctx) {
    HostOnItsContext host = new HostOnItsContext();
    HostRequests turn = new HostRequests(vertx, "turn");
    deploy(host)
        .compose(id -> turn.create("jobs", 1))
        .compose(v -> turn.put("jobs", "a"))
        .compose(v -> inOneTurnOf(host.context(), () -> {
          List<Future<?>> answers = new ArrayList<>();
          answers.add(turn.delete("jobs")
              .map(deleted -> assertThat(deleted).isEqualTo(new JsonObject().put("name", "jobs").put("discarded", 1))));
          answers.addAll(everyChannelRequest(turn, request -> refused(request, CLOSED, "CLOSED")));
          return answers;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void requestsSentInTheTurnOfAnUndeployAreAllRefusedUnavailableNeverDiscarded(VertxTestContext ctx) {
    HostOnItsContext host = new HostOnItsContext();
    HostRequests turn = new HostRequests(vertx, "turn");
    deploy(host)
        .compose(id -> turn.create("jobs", 1)
            .compose(v -> turn.put("jobs", "a"))
            .compose(v -> inOneTurnOf(host.context(), () -> {
              List<Future<?>> answers = new ArrayList<>();
              answers.add(vertx.undeploy(id));
              answers.addAll(everyChannelRequest(turn, request -> refused(request, UNAVAILABLE, "UNAVAILABLE")));
              answers.add(refused(turn.list(), UNAVAILABLE, "UNAVAILABLE"));
              answers.add(refused(turn.create("other"), UNAVAILABLE, "UNAVAILABLE"));
              answers.add(refused(turn.delete("jobs"), UNAVAILABLE, "UNAVAILABLE"));
              return answers;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  // helpers

  /** Each action of a channel, as a request that could wait if it were handled. */
  private static List<Future<?>> everyChannelRequest(HostRequests host, Function<Future<?>, Future<?>> expected) {
    List<Future<?>> answers = new ArrayList<>();
    answers.add(expected.apply(host.channel("jobs", "put").body("b").timeout(WAIT).send()));
    answers.add(expected.apply(host.channel("jobs", "offer").body("b").send()));
    answers.add(expected.apply(host.channel("jobs", "put-all").body(new JsonArray().add("b")).timeout(WAIT).send()));
    answers.add(expected.apply(host.channel("jobs", "take").timeout(WAIT).send()));
    answers.add(expected.apply(host.channel("jobs", "take").header("ack", "true").timeout(WAIT).send()));
    answers.add(expected.apply(host.channel("jobs", "poll").send()));
    answers.add(expected.apply(host.channel("jobs", "join").timeout(WAIT).send()));
    answers.add(expected.apply(host.channel("jobs", "status").send()));
    answers.add(expected.apply(host.channel("jobs", "close").send()));
    answers.add(expected.apply(host.channel("jobs", "consume")
        .body(new JsonObject().put("address", "me").put("credit", 1)).send()));
    return answers;
  }

  /**
   * Sends what {@code requests} sends in one turn of a context on the host's event loop; completes
   * once every answer has passed. Not the host's own context: the replies to requests sent from a
   * verticle's context are no longer awaited once that verticle is undeployed.
   */
  private Future<Void> inOneTurnOf(Context host, Supplier<List<Future<?>>> requests) {
    Context sameEventLoop = ((VertxInternal) vertx).contextBuilder()
        .withEventLoop(((ContextInternal) host).nettyEventLoop())
        .build();
    Promise<List<Future<?>>> sent = Promise.promise();
    sameEventLoop.runOnContext(turn -> sent.complete(requests.get()));
    return sent.future().compose(answers -> Future.all(answers)).mapEmpty();
  }

  private Future<String> deploy(HostOnItsContext host) {
    return vertx.deployVerticle(host, new DeploymentOptions().setConfig(new JsonObject().put("address", "turn")));
  }

  /** The host verticle, and the context it runs on. */
  private static final class HostOnItsContext extends ChannelHostVerticle {
    Context context() {
      return context;
    }
  }
}
