package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.failsWith;
import static dev.channels.impl.client.ClientTesting.onNewContext;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A registry lookup ({@code list}, {@code create}) that gets no answer is sent again, at most twice:
 * in a cluster, right after a node died, the event bus may still route a registry request to it,
 * and the next one goes to another node's host. Stood in for here by two consumers at the
 * registry's address, round-robined: one that never answers (the dead node), one that does.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class UnansweredLookupTest {

  private static final String REGISTRY = "lookups";
  private static final ChannelClientOptions OPTIONS = new ChannelClientOptions().setAddress(REGISTRY)
      .setReplyMarginMs(200);

  @Test
  void aListThatGetsNoAnswerIsSentAgainAndTheNextHostAnswers(Vertx vertx, VertxTestContext test) {
    AtomicInteger unanswered = new AtomicInteger();
    vertx.eventBus().consumer(REGISTRY, request -> unanswered.incrementAndGet()); // the dead node
    vertx.eventBus().consumer(REGISTRY, request -> request.reply(new JsonObject().put("channels", new JsonArray())));
    onNewContext(vertx, test, () -> ChannelClient.create(vertx, OPTIONS).list()
        .compose(first -> ChannelClient.create(vertx, OPTIONS).list())
        .map(second -> {
          assertThat(second).isEmpty();
          // round robin: each list went to the silent one first, then to the one that answers
          assertThat(unanswered.get()).isEqualTo(2);
          return second;
        }));
  }

  @Test
  void aLookupNobodyAnswersFailsAfterTwoMoreTriesAndADeleteIsNeverRepeated(Vertx vertx, VertxTestContext test) {
    AtomicInteger creates = new AtomicInteger();
    AtomicInteger deletes = new AtomicInteger();
    vertx.eventBus().consumer(REGISTRY, request -> {
      if ("delete".equals(request.headers().get("action"))) {
        deletes.incrementAndGet();
      } else {
        creates.incrementAndGet();
      }
    });
    ChannelClient client = ChannelClient.create(vertx, OPTIONS);
    onNewContext(vertx, test, () -> failsWith(client.create("jobs", 10), ChannelTimeoutException.class)
        .compose(timedOut -> {
          assertThat(creates.get()).as("the create and two more").isEqualTo(3);
          assertThat(timedOut).hasMessageContaining("did not answer");
          return failsWith(client.delete("jobs"), ChannelTimeoutException.class);
        })
        .map(timedOut -> {
          assertThat(deletes.get()).as("a delete that may have happened is not repeated").isOne();
          return timedOut;
        }));
  }
}
