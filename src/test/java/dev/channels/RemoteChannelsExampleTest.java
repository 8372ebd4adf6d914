package dev.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The example of README.md's "Remote channels", as written there, with its outcome checked. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class RemoteChannelsExampleTest {

  record Job(int id, String file) {
  }

  private final List<String> worked = new ArrayList<>();

  @Test
  void theReadmeExampleTakesEveryJobThenEnds(Vertx vertx, VertxTestContext test) {
    Promise<Void> noWorkLeft = Promise.promise();
    Promise<Void> drained = Promise.promise();

    // --- as in README.md
    vertx.deployVerticle(new ChannelHostVerticle()).onSuccess(id -> {   // the host: usually elsewhere
      ChannelClient client = ChannelClient.create(vertx);
      client.create("jobs", 100).onSuccess(status -> {
        Channel<Job> jobs = client.channel("jobs", Job.class);           // records travel as JSON objects

        jobs.putAll(List.of(new Job(1, "a.png"), new Job(2, "b.png")))   // producer
            .compose(enqueued -> jobs.close());                          // no more work will ever appear

        work(jobs, noWorkLeft);                                          // worker
        jobs.join().onSuccess(v -> drained.complete());                  // "closed and drained: all work taken"
      });
    });
    // ---

    Future.all(noWorkLeft.future(), drained.future()).onComplete(test.succeeding(v -> test.verify(() -> {
      assertThat(worked).containsExactly("a.png", "b.png");
      test.completeNow();
    })));
  }

  /** The worker of README.md: takes until the channel ends; each take rides on the last one's acknowledgement. */
  private void work(Channel<Job> jobs, Promise<Void> noWorkLeft) {
    jobs.take().onComplete(job -> {
      worked.add(job.file());                                            // System.out.println("working on " + job.file())
      work(jobs, noWorkLeft);
    }, failure -> {
      if (failure instanceof ChannelClosedException) {
        noWorkLeft.complete();                                           // System.out.println("no work left")
      } else {
        noWorkLeft.fail(failure);
      }
    });
  }
}
