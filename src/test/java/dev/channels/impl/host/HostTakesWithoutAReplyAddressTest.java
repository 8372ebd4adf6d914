package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.freshStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A take or poll sent without a reply address ({@code send}, {@code publish}) could hand its item
 * to nobody: it is refused 400 (a refusal that reaches nobody), takes nothing and does not wait.
 * Messages sent from one thread to one address arrive in the order sent, so the status request
 * sent after them sees what they did.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostTakesWithoutAReplyAddressTest extends HostTestBase {

  @Test
  void aTakeOrPollSentWithoutAReplyAddressTakesNothingAndLeavesTheStatusUnchanged(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> {
          String jobs = requests.address("jobs");
          vertx.eventBus().send(jobs, null, new DeliveryOptions().addHeader("action", "take").addHeader("timeout", "0"));
          vertx.eventBus().send(jobs, null, new DeliveryOptions().addHeader("action", "poll"));
          vertx.eventBus().send(jobs, null, new DeliveryOptions().addHeader("action", "take").addHeader("max", "5"));
          vertx.eventBus().publish(jobs, null, new DeliveryOptions().addHeader("action", "take"));
          vertx.eventBus().publish(jobs, null, new DeliveryOptions().addHeader("action", "poll").addHeader("max", "5"));
          return requests.status("jobs");
        })
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("size", 2).put("put", 2L)))
        .compose(v -> requests.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("a"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aTakeSentWithoutAReplyAddressToAnEmptyChannelDoesNotWaitForAnItem(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> {
          String jobs = requests.address("jobs");
          vertx.eventBus().send(jobs, null, new DeliveryOptions().addHeader("action", "take").addHeader("timeout", "5000"));
          vertx.eventBus().publish(jobs, null, new DeliveryOptions().addHeader("action", "take"));
          return requests.status("jobs");
        })
        .map(status -> assertThat(status).as("no taker waits").isEqualTo(freshStatus("jobs", 5)))
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("size", 1).put("put", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }
}
