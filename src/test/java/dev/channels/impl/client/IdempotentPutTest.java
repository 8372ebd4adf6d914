package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.deployHost;
import static dev.channels.impl.client.ClientTesting.failsWith;
import static dev.channels.impl.client.ClientTesting.onNewContext;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelConflictException;
import dev.channels.ChannelStatus;
import dev.channels.impl.local.LocalChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Puts with an idempotency key, remote and in process: a repeat completes as the first did and enqueues nothing. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class IdempotentPutTest {

  @Test
  void aRemotePutOrPutAllRepeatingAKeyEnqueuesNothing(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<String> jobs = client.channel("jobs");
      return client.create("jobs", 10).compose(created -> repeatsEnqueueNothing(jobs))
          .compose(v -> jobs.status())
          .map(status -> assertThat(status.totalPut()).as("1 + 3 + 1 items, each once").isEqualTo(5));
    })));
  }

  @Test
  void aRemoteRepeatOfAPutStillWaitingForRoomIsAConflict(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<String> jobs = client.channel("jobs");
      return client.create("jobs", 1).compose(created -> waitingRepeatIsAConflict(jobs, jobs::status));
    })));
  }

  @Test
  void anInProcessPutOrPutAllRepeatingAKeyEnqueuesNothing(Vertx vertx, VertxTestContext test) {
    onNewContext(vertx, test, () -> {
      Channel<String> jobs = new LocalChannel<>(vertx.getOrCreateContext(), "jobs", 10);
      return repeatsEnqueueNothing(jobs).compose(v -> jobs.status())
          .map(status -> assertThat(status.totalPut()).as("1 + 3 + 1 items, each once").isEqualTo(5));
    });
  }

  @Test
  void anInProcessRepeatOfAPutStillWaitingForRoomIsAConflict(Vertx vertx, VertxTestContext test) {
    onNewContext(vertx, test, () -> {
      Channel<String> jobs = new LocalChannel<>(vertx.getOrCreateContext(), "jobs", 1);
      return waitingRepeatIsAConflict(jobs, jobs::status);
    });
  }

  @Test
  void aKeyMustHaveOneTo256Characters(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<String> remote = client.channel("jobs");
      Channel<String> local = new LocalChannel<>(vertx.getOrCreateContext(), "jobs", 10);
      return client.create("jobs", 10)
          .compose(v -> failsWith(remote.putWithKey("", "a"), IllegalArgumentException.class))
          .compose(v -> failsWith(remote.putAllWithKey("k".repeat(257), List.of("a")), IllegalArgumentException.class))
          .compose(v -> failsWith(local.putWithKey(null, "a"), IllegalArgumentException.class))
          .map(refused -> assertThat(refused.getMessage()).contains("idempotency key"))
          .compose(v -> remote.status())
          .map(status -> assertThat(status.size()).as("nothing enqueued").isZero());
    })));
  }

  private static Future<Void> repeatsEnqueueNothing(Channel<String> jobs) {
    return jobs.putWithKey("order-1", "a")
        .compose(v -> jobs.putWithKey("order-1", "a"))
        .compose(v -> jobs.putAllWithKey("import-1", List.of("b", "c", "d")))
        .compose(first -> jobs.putAllWithKey("import-1", List.of("b", "c", "d"))
            .map(again -> assertThat(again).as("the first's count").isEqualTo(first).isEqualTo(3)))
        .compose(v -> jobs.putWithKey("order-2", "e"))
        .compose(v -> jobs.take(5))
        .map(taken -> {
          assertThat(taken).containsExactly("a", "b", "c", "d", "e");
          return null;
        });
  }

  private static Future<Void> waitingRepeatIsAConflict(Channel<String> jobs,
      java.util.function.Supplier<Future<ChannelStatus>> status) {
    Future<Void> waiting = jobs.offer("first").compose(v -> Future.succeededFuture());
    return waiting.compose(v -> {
      Future<Void> blocked = jobs.putWithKey("order-1", "second"); // waits for room
      return status.get()
          .compose(s -> failsWith(jobs.putWithKey("order-1", "second"), ChannelConflictException.class))
          .map(conflict -> assertThat(conflict.getMessage()).contains("'order-1'").contains("still waiting"))
          .compose(v2 -> jobs.take())
          .compose(first -> blocked)
          .compose(v2 -> jobs.putWithKey("order-1", "second")) // done now: a repeat enqueues nothing
          .compose(v2 -> status.get())
          .map(after -> {
            assertThat(after.size()).as("'second' once").isEqualTo(1);
            return null;
          });
    });
  }
}
