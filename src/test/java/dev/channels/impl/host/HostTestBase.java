package dev.channels.impl.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A host with the default configuration deployed before each test, raw requests to it, and a
 * check after each test that nothing was thrown on any event loop.
 */
@ExtendWith(VertxExtension.class)
abstract class HostTestBase {

  protected Vertx vertx;
  protected HostRequests requests;
  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

  @BeforeEach
  void deployHost(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    vertx.exceptionHandler(uncaught::add);
    requests = new HostRequests(vertx);
    vertx.deployVerticle(new ChannelHostVerticle()).onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void nothingWasThrownOnAnyContext() {
    assertThat(uncaught).as("exceptions thrown on an event loop").isEmpty();
  }
}
