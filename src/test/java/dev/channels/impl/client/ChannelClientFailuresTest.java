package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.deployHost;
import static dev.channels.impl.client.ClientTesting.failsWith;
import static dev.channels.impl.client.ClientTesting.onNewContext;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelClosedException;
import dev.channels.ChannelConflictException;
import dev.channels.ChannelEmptyException;
import dev.channels.ChannelException;
import dev.channels.ChannelFullException;
import dev.channels.ChannelNotFoundException;
import dev.channels.ChannelOverloadedException;
import dev.channels.ChannelTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each way a request can fail, as the application sees it: the host's codes as the in-process
 * channel's exceptions with the host's message, the event bus's own failures as "not found" and
 * "the host did not answer".
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ChannelClientFailuresTest {

  @Test
  void closedFullEmptyAndTimeoutAreTheInProcessExceptionsWithTheHostsMessage(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<String> jobs = client.channel("jobs");
      return client.create("jobs", 1)
          .compose(v -> failsWith(jobs.poll(), ChannelEmptyException.class))                  // 204
          .map(empty -> assertThat(empty).hasMessage("EMPTY: channel 'jobs' is empty"))
          .compose(v -> failsWith(jobs.take(Duration.ZERO), ChannelTimeoutException.class))   // 408
          .map(timeout -> assertThat(timeout.getMessage()).startsWith("TIMEOUT: channel 'jobs'"))
          .compose(v -> jobs.offer("a"))
          .compose(v -> failsWith(jobs.offer("b"), ChannelFullException.class))                // 429
          .map(full -> assertThat(full.getMessage()).startsWith("FULL: channel 'jobs' is full"))
          .compose(v -> jobs.close())
          .compose(v -> failsWith(jobs.put("c"), ChannelClosedException.class))                // 410
          .map(closed -> assertThat(closed).hasMessage("CLOSED: channel 'jobs' is closed"));
    })));
  }

  @Test
  void aHostLimitIsOverloaded(Vertx vertx, VertxTestContext test) {
    JsonObject config = new JsonObject().put("limits", new JsonObject().put("maxWaiters", 0));
    deployHost(vertx, config).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      return client.create("jobs", 1)
          .compose(v -> failsWith(client.<String>channel("jobs").take(), ChannelOverloadedException.class)) // 503
          .map(overloaded -> assertThat(overloaded.getMessage()).startsWith("OVERLOADED: channel 'jobs'")
              .contains("limits.maxWaiters"));
    })));
  }

  @Test
  void registryRefusalsAreNotFoundConflictAndIllegalArgument(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      return failsWith(client.delete("nope"), ChannelNotFoundException.class)                     // 404
          .map(notFound -> assertThat(notFound).hasMessage("NOT_FOUND: channel 'nope' does not exist"))
          .compose(v -> client.create("jobs", 5))
          .compose(v -> failsWith(client.create("jobs", 6), ChannelConflictException.class))   // 409
          .map(conflict -> assertThat(conflict.getMessage()).startsWith("CONFLICT: channel 'jobs'").contains("5", "6"))
          .compose(v -> failsWith(client.create("jobs", -1), IllegalArgumentException.class))  // 400
          .map(bad -> assertThat(bad.getMessage()).startsWith("BAD_REQUEST: ").contains("capacity", "-1"))
          .compose(v -> failsWith(client.create("not a name", 1), IllegalArgumentException.class))
          .map(bad -> assertThat(bad.getMessage()).startsWith("BAD_REQUEST: ").contains("name"));
    })));
  }

  @Test
  void aChannelNobodyServesIsNotFoundAndNothingIsCreated(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<String> ghost = client.channel("ghost");
      return failsWith(ghost.put("a"), ChannelNotFoundException.class)
          .map(notFound -> assertThat(notFound.getMessage()).startsWith("NOT_FOUND: channel 'ghost' does not exist")
              .contains("'channels.ghost'"))
          .compose(v -> failsWith(ghost.take(), ChannelNotFoundException.class))
          .compose(v -> failsWith(ghost.status(), ChannelNotFoundException.class))
          .compose(v -> failsWith(ghost.join(), ChannelNotFoundException.class))
          .compose(v -> client.list())
          .map(list -> assertThat(list).hasSize(0));
    })));
  }

  @Test
  void noHostAtTheRegistryAddressIsNotFoundToo(Vertx vertx, VertxTestContext test) {
    onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx, new ChannelClientOptions().setAddress("nobody"));
      return failsWith(client.list(), ChannelNotFoundException.class)
          .map(notFound -> assertThat(notFound.getMessage()).contains("'nobody'"));
    });
  }

  @Test
  void aHostThatDoesNotAnswerInTimeIsATimeoutSayingSo(Vertx vertx, VertxTestContext test) {
    // something at the addresses that never answers: the host hangs, or is not a host at all
    vertx.eventBus().consumer("silent.jobs", message -> { });
    vertx.eventBus().consumer("silent", message -> { });
    onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx,
          new ChannelClientOptions().setAddress("silent").setReplyMarginMs(50).setWaitTimeoutMs(100));
      Channel<String> jobs = client.channel("jobs");
      return failsWith(jobs.poll(), ChannelTimeoutException.class)
          .map(timeout -> assertThat(timeout.getMessage()).startsWith("TIMEOUT: channel 'jobs'")
              .contains("did not answer the poll within 50 ms", "may or may not have happened"))
          .compose(v -> failsWith(jobs.take(), ChannelTimeoutException.class))
          .map(timeout -> assertThat(timeout.getMessage()).contains("did not answer the take within 150 ms"))
          .compose(v -> failsWith(jobs.take(Duration.ofMillis(30)), ChannelTimeoutException.class))
          .map(timeout -> assertThat(timeout.getMessage()).contains("did not answer the take within 80 ms"))
          .compose(v -> failsWith(client.list(), ChannelTimeoutException.class))
          .map(timeout -> assertThat(timeout.getMessage()).contains("registry 'silent'"));
    });
  }

  @Test
  void aFailureOutsideTheProtocolIsTheEventBusFailureUnchanged(Vertx vertx, VertxTestContext test) {
    vertx.eventBus().consumer("broken", message -> message.fail(500, "INTERNAL: boom"));
    onNewContext(vertx, test, () -> failsWith(
        ChannelClient.create(vertx, new ChannelClientOptions().setAddress("broken")).list(), ReplyException.class)
        .map(failure -> {
          assertThat(failure.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
          assertThat(failure.failureCode()).isEqualTo(500);
          return assertThat(failure).hasMessage("INTERNAL: boom");
        }));
  }

  @Test
  void theNewExceptionsAreStacklessChannelExceptions() {
    for (ChannelException failure : new ChannelException[] {
        new ChannelNotFoundException("NOT_FOUND: x"), new ChannelConflictException("CONFLICT: x")}) {
      assertThat(failure.getStackTrace()).isEmpty();
      assertThat(failure).isInstanceOf(RuntimeException.class);
    }
  }
}
