package dev.channels.impl.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelClosedException;
import dev.channels.ChannelConflictException;
import dev.channels.ChannelEmptyException;
import dev.channels.ChannelFullException;
import dev.channels.ChannelNotFoundException;
import dev.channels.ChannelOverloadedException;
import dev.channels.ChannelTimeoutException;
import dev.channels.ChannelUnavailableException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The failure codes of docs/protocol.md, and what the Java client reports for each ("The Java
 * client", Failures), spelled out here as literals on purpose: they pin the documented protocol.
 */
class FailureTest {

  @ParameterizedTest
  @EnumSource(Failure.class)
  void everyCodeIsTheDocumentedOne(Failure failure) {
    int documented = switch (failure) {
      case BAD_REQUEST -> 400;
      case NOT_FOUND -> 404;
      case TIMEOUT -> 408;
      case CONFLICT -> 409;
      case CLOSED -> 410;
      case FULL -> 429;
      case EMPTY -> 204;
      case ACK_EXPIRED -> 412;
      case UNAVAILABLE -> 421;
      case OVERLOADED -> 503;
      case INTERNAL -> 500;
    };
    assertThat(failure.code()).isEqualTo(documented);
    assertThat(Failure.ofCode(documented)).isSameAs(failure);
  }

  @Test
  void codesAreDistinctAndUnknownOnesAreNone() {
    assertThat(Arrays.stream(Failure.values()).map(Failure::code)).doesNotHaveDuplicates();
    assertThat(Failure.ofCode(200)).isNull();
    assertThat(Failure.ofCode(-1)).isNull();
  }

  @Test
  void theMessageNamesTheFailureThenTheDetail() {
    assertThat(Failure.CLOSED.message("channel 'jobs' is closed")).isEqualTo("CLOSED: channel 'jobs' is closed");
  }

  @ParameterizedTest
  @EnumSource(Failure.class)
  void everyCodeBecomesTheDocumentedExceptionWithItsMessage(Failure failure) {
    String message = failure.message("channel 'jobs': why");
    Class<? extends RuntimeException> documented = switch (failure) {
      case BAD_REQUEST -> IllegalArgumentException.class;
      case NOT_FOUND -> ChannelNotFoundException.class;
      case TIMEOUT -> ChannelTimeoutException.class;
      case CONFLICT -> ChannelConflictException.class;
      case CLOSED -> ChannelClosedException.class;
      case FULL -> ChannelFullException.class;
      case EMPTY -> ChannelEmptyException.class;
      // never reported: the client sends the request again on its own
      case ACK_EXPIRED -> ChannelTimeoutException.class;
      case UNAVAILABLE -> ChannelUnavailableException.class;
      case OVERLOADED -> ChannelOverloadedException.class;
      // a fault, not an outcome: the remote client reports the event bus's failure as it came
      case INTERNAL -> IllegalStateException.class;
    };
    assertThat(failure.exception(message)).isExactlyInstanceOf(documented).hasMessage(message);
  }
}
