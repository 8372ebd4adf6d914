package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.CLOSED;
import static dev.channels.impl.host.HostRequests.CONFLICT;
import static dev.channels.impl.host.HostRequests.NOT_FOUND;
import static dev.channels.impl.host.HostRequests.OVERLOADED;
import static dev.channels.impl.host.HostRequests.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Producer leases at the host, over raw event-bus requests: attach, renew, detach; a lease not
 * renewed within {@code leaseMs}, and the producers of a node that left, are detached, and the last
 * one closes a channel made to close when detached.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class HostLeaseTest {

  private static JsonObject config(long leaseMs, boolean closeWhenDetached) {
    return new JsonObject().put("leaseMs", leaseMs).put("channels", new JsonArray()
        .add(new JsonObject().put("name", "jobs").put("capacity", 10).put("closeWhenDetached", closeWhenDetached)));
  }

  private static Future<String> deploy(Vertx vertx, JsonObject config) {
    return vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config));
  }

  private static Future<String> attach(HostRequests requests, String node) {
    HostRequests.Request attach = requests.channel("jobs", "attach");
    if (node != null) {
      attach.header("node", node);
    }
    return attach.json().map(reply -> reply.getString("lease"));
  }

  private static Future<JsonObject> detach(HostRequests requests, String lease) {
    return requests.channel("jobs", "detach").body(new JsonObject().put("lease", lease)).json();
  }

  private static Future<JsonObject> renew(HostRequests requests, String lease) {
    return requests.channel("jobs", "renew").body(new JsonObject().put("lease", lease)).json();
  }

  @Test
  void attachAnswersALeaseAndTheLeaseTimeAndTheStatusCountsTheProducers(Vertx vertx, VertxTestContext test) {
    HostRequests requests = new HostRequests(vertx);
    deploy(vertx, config(1234, true))
        .compose(id -> requests.channel("jobs", "attach").json())
        .map(reply -> {
          assertThat(reply.fieldNames()).containsExactlyInAnyOrder("lease", "leaseMs");
          assertThat(reply.getString("lease")).isNotEmpty();
          assertThat(reply.getLong("leaseMs")).isEqualTo(1234);
          return reply.getString("lease");
        })
        .compose(lease -> renew(requests, lease).map(renewed -> {
          assertThat(renewed).isEqualTo(new JsonObject().put("lease", lease).put("leaseMs", 1234L));
          return lease;
        }))
        .compose(lease -> attach(requests, null).map(lease))
        .compose(lease -> requests.status("jobs").map(status -> {
          assertThat(status.getInteger("producers")).isEqualTo(2);
          return lease;
        }))
        .compose(lease -> detach(requests, lease).map(reply -> assertThat(reply).isEqualTo(new JsonObject().put("detached", true)))
            .compose(v -> detach(requests, lease))
            .map(reply -> assertThat(reply).as("a second detach changes nothing").isEqualTo(new JsonObject().put("detached", false)))
            .compose(v -> refused(renew(requests, lease), NOT_FOUND, "NOT_FOUND")))
        .compose(v -> requests.status("jobs"))
        .map(status -> {
          assertThat(status.getInteger("producers")).isEqualTo(1);
          assertThat(status.getBoolean("closed")).isFalse();
          return status;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aLeaseNotRenewedWithinLeaseMsEndsAndTheLastOneClosesTheChannel(Vertx vertx, VertxTestContext test) {
    HostRequests requests = new HostRequests(vertx);
    long[] attachedAt = new long[1];
    deploy(vertx, config(300, true))
        .compose(id -> requests.put("jobs", "a"))
        .compose(v -> {
          attachedAt[0] = System.nanoTime();
          return attach(requests, null); // and never renewed
        })
        .compose(lease -> awaitClosed(vertx, requests))
        .map(v -> {
          long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attachedAt[0]);
          return assertThat(afterMs).as("not before the lease ended").isGreaterThanOrEqualTo(290);
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> {
          assertThat(status.getInteger("producers")).isZero();
          assertThat(status.getBoolean("finished")).as("its item is still there").isFalse();
          return status;
        })
        .compose(v -> requests.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("a"))
        .compose(v -> requests.channel("jobs", "join").timeout(0).json())
        .map(joined -> assertThat(joined.getBoolean("finished")).isTrue())
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aRenewedLeaseDoesNotEnd(Vertx vertx, VertxTestContext test) {
    HostRequests requests = new HostRequests(vertx);
    deploy(vertx, config(300, true))
        .compose(id -> attach(requests, null))
        .compose(lease -> renewEvery100Ms(vertx, requests, lease, 10).map(lease)) // 1 s: three lease times
        .compose(lease -> requests.status("jobs").map(status -> {
          assertThat(status.getInteger("producers")).isEqualTo(1);
          assertThat(status.getBoolean("closed")).isFalse();
          return lease;
        }))
        .compose(lease -> detach(requests, lease))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status.getBoolean("closed")).isTrue())
        .onComplete(test.succeedingThenComplete());
  }

  private static Future<Void> renewEvery100Ms(Vertx vertx, HostRequests requests, String lease, int times) {
    if (times == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> later = Promise.promise();
    vertx.setTimer(100, id -> renew(requests, lease).compose(v -> renewEvery100Ms(vertx, requests, lease, times - 1))
        .onComplete(later));
    return later.future();
  }

  /** Polls the status, at most 10 s, until the channel is closed: its lease expired (no clock is asserted). */
  private static Future<Void> awaitClosed(Vertx vertx, HostRequests requests) {
    return requests.status("jobs").compose(status -> {
      if (status.getBoolean("closed")) {
        return Future.succeededFuture();
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(20, id -> awaitClosed(vertx, requests).onComplete(later));
      return later.future();
    });
  }

  @Test
  void attachToAClosedChannelFailsClosed(Vertx vertx, VertxTestContext test) {
    HostRequests requests = new HostRequests(vertx);
    deploy(vertx, config(10_000, true))
        .compose(id -> requests.close("jobs"))
        .compose(v -> refused(attach(requests, null), CLOSED, "CLOSED"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status.getInteger("producers")).isZero())
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void attachBeyondLimitsMaxProducersFailsOverloadedAndChangesNothingUntilOneDetaches(Vertx vertx,
      VertxTestContext test) {
    HostRequests requests = new HostRequests(vertx);
    JsonObject config = config(10_000, true).put("limits", new JsonObject().put("maxProducers", 2));
    deploy(vertx, config)
        .compose(id -> attach(requests, null))
        .compose(first -> attach(requests, null)
            .compose(second -> refused(attach(requests, null), OVERLOADED, "OVERLOADED"))
            .map(refusal -> {
              assertThat(refusal.getMessage()).contains("'jobs'").contains("limits.maxProducers");
              return first;
            }))
        .compose(first -> requests.status("jobs").map(status -> {
          assertThat(status.getInteger("producers")).as("the refused attach changed nothing").isEqualTo(2);
          return first;
        }))
        .compose(first -> detach(requests, first))
        .compose(detached -> attach(requests, null))
        .compose(third -> requests.status("jobs"))
        .map(status -> {
          assertThat(status.getInteger("producers")).isEqualTo(2);
          assertThat(status.getBoolean("closed")).as("a producer stayed attached throughout").isFalse();
          return status;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void createComparesCloseWhenDetachedWhenGiven(Vertx vertx, VertxTestContext test) {
    HostRequests requests = new HostRequests(vertx);
    deploy(vertx, config(10_000, true))
        .compose(id -> refused(requests.registry("create").body(new JsonObject().put("name", "jobs").put("capacity", 10)
            .put("closeWhenDetached", false)).send(), CONFLICT, "CONFLICT"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("closeWhenDetached true, not false"))
        .compose(v -> requests.registry("create").body(new JsonObject().put("name", "jobs").put("capacity", 10)
            .put("closeWhenDetached", true)).json())
        .compose(v -> requests.create("jobs", 10)) // not given: not compared
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void theProducersOfANodeThatLeftAreDetachedAndTheLastOneClosesTheChannel(Vertx vertx, VertxTestContext test) {
    HostRequests requests = new HostRequests(vertx);
    DirectoryVerticle host = new DirectoryVerticle();
    vertx.deployVerticle(host, new DeploymentOptions().setConfig(config(60_000, true)))
        .compose(id -> attach(requests, "node-a"))
        .compose(leaseOfA -> attach(requests, "node-b").compose(leaseOfB -> attach(requests, "node-b"))
            .compose(v -> requests.put("jobs", "a"))
            .compose(v -> detach(requests, leaseOfA)))
        .compose(v -> requests.status("jobs"))
        .map(status -> {
          assertThat(status.getInteger("producers")).isEqualTo(2);
          assertThat(status.getBoolean("closed")).isFalse();
          return status;
        })
        .compose(v -> host.nodeLeft("node-c")) // nobody attached from there
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status.getInteger("producers")).isEqualTo(2))
        .compose(v -> host.nodeLeft("node-b"))
        .compose(v -> requests.status("jobs"))
        .map(status -> {
          assertThat(status.getInteger("producers")).isZero();
          assertThat(status.getBoolean("closed")).isTrue();
          return status;
        })
        .compose(v -> requests.take("jobs"))
        .compose(v -> requests.channel("jobs", "join").timeout(0).json())
        .map(joined -> assertThat(joined.getBoolean("finished")).isTrue())
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void leasesOutliveAHostRestartAndStartAgainWithTheNextHost(Vertx vertx, VertxTestContext test) {
    HostRequests requests = new HostRequests(vertx);
    deploy(vertx, config(60_000, true))
        .compose(first -> attach(requests, null).compose(lease -> vertx.undeploy(first)
            .compose(v -> deploy(vertx, config(60_000, true)))
            .compose(v -> requests.status("jobs"))
            .map(status -> {
              assertThat(status.getInteger("producers")).as("adopted with the channel").isEqualTo(1);
              return status;
            })
            .compose(v -> renew(requests, lease))
            .compose(v -> detach(requests, lease))))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status.getBoolean("closed")).isTrue())
        .onComplete(test.succeedingThenComplete());
  }

  /** A host's directory alone (no registry), so that a test can tell it that a cluster node left. */
  private static final class DirectoryVerticle extends VerticleBase {

    private LocalDirectory directory;

    @Override
    public Future<?> start() {
      directory = new LocalDirectory(vertx, HostConfig.from(config()));
      return directory.start();
    }

    @Override
    public Future<?> stop() {
      return directory.stop();
    }

    Future<Void> nodeLeft(String node) {
      Promise<Void> done = Promise.promise();
      context.runOnContext(v -> {
        directory.nodeLeft(node);
        done.complete();
      });
      return done.future();
    }
  }
}
