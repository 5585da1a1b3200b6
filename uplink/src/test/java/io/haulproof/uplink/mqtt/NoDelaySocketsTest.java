package io.haulproof.uplink.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class NoDelaySocketsTest {

  @Test
  void plain_unconnectedSocketAsPahoMakesIt_hasNoDelayOn() throws Exception {
    try (Socket s = NoDelaySockets.plain().createSocket()) {
      assertThat(s.getTcpNoDelay()).isTrue();
    }
  }

  @Test
  void plain_connectedSocket_hasNoDelayOn() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket s =
            NoDelaySockets.plain()
                .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
      assertThat(s.getTcpNoDelay()).isTrue();
    }
  }

  @Test
  void tls_unconnectedSocketAsPahoMakesIt_isTlsWithNoDelayOn() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, null, null);
    try (Socket s = NoDelaySockets.tls(ctx.getSocketFactory()).createSocket()) {
      assertThat(s).isInstanceOf(SSLSocket.class);
      assertThat(s.getTcpNoDelay()).isTrue();
    }
  }
}
