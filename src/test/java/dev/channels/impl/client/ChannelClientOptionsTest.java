package dev.channels.impl.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.channels.AckMode;
import dev.channels.ChannelClientOptions;
import org.junit.jupiter.api.Test;

class ChannelClientOptionsTest {

  @Test
  void theDefaultsAreTheDocumentedConstants() {
    ChannelClientOptions options = new ChannelClientOptions();
    assertThat(options.getAddress()).isEqualTo(ChannelClientOptions.DEFAULT_ADDRESS).isEqualTo("channels");
    assertThat(options.getWaitTimeoutMs()).isEqualTo(ChannelClientOptions.DEFAULT_WAIT_TIMEOUT_MS).isEqualTo(20_000);
    assertThat(options.getReplyMarginMs()).isEqualTo(ChannelClientOptions.DEFAULT_REPLY_MARGIN_MS).isEqualTo(5_000);
    assertThat(options.getAckMode()).isEqualTo(ChannelClientOptions.DEFAULT_ACK_MODE).isEqualTo(AckMode.ON_DELIVERY);
    assertThat(options.getPrefetch()).isEqualTo(ChannelClientOptions.DEFAULT_PREFETCH).isEqualTo(256);
  }

  @Test
  void settersAreFluentAndTheCopyIsEqualButIndependent() {
    ChannelClientOptions options = new ChannelClientOptions().setAddress("queues").setWaitTimeoutMs(1_000)
        .setReplyMarginMs(250).setAckMode(AckMode.AFTER_PROCESSING).setPrefetch(8);
    ChannelClientOptions copy = new ChannelClientOptions(options);

    assertThat(copy).isEqualTo(options).hasSameHashCodeAs(options);
    assertThat(copy.getAddress()).isEqualTo("queues");
    assertThat(copy.getWaitTimeoutMs()).isEqualTo(1_000);
    assertThat(copy.getReplyMarginMs()).isEqualTo(250);
    assertThat(copy.getAckMode()).isEqualTo(AckMode.AFTER_PROCESSING);
    assertThat(copy.getPrefetch()).isEqualTo(8);
    copy.setPrefetch(9);
    assertThat(options.getPrefetch()).isEqualTo(8);
    assertThat(copy).isNotEqualTo(options);
  }

  @Test
  void anInvalidValueIsRefusedWithAnErrorNamingTheOption() {
    ChannelClientOptions options = new ChannelClientOptions();
    assertThatThrownBy(() -> options.setAddress("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'address'");
    assertThatThrownBy(() -> options.setAddress(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'address'");
    assertThatThrownBy(() -> options.setWaitTimeoutMs(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'waitTimeoutMs'").hasMessageContaining("not 0");
    assertThatThrownBy(() -> options.setWaitTimeoutMs(Integer.MAX_VALUE + 1L)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'waitTimeoutMs'");
    assertThatThrownBy(() -> options.setReplyMarginMs(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'replyMarginMs'");
    assertThatThrownBy(() -> options.setAckMode(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ackMode'");
    assertThatThrownBy(() -> options.setPrefetch(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'prefetch'");
    // nothing changed
    assertThat(options).isEqualTo(new ChannelClientOptions());
  }
}
