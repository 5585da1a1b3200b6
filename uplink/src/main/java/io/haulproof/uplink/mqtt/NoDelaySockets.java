package io.haulproof.uplink.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Socket factories whose sockets have {@code TCP_NODELAY} on. MQTT is small request/response
 * packets (PUBLISH, PUBACK); with Nagle's algorithm on, a small write waits for the peer's ACK of
 * the previous one, which Linux delays by up to 40 ms: a PoAh block's round trip through the broker
 * measured 76 ms median on an idle loopback before, and no fsync or CPU explained it. Paho creates
 * its socket unconnected with {@link SocketFactory#createSocket()} and connects it itself, so the
 * option is set there; the other methods set it too, for completeness.
 */
final class NoDelaySockets {
  private NoDelaySockets() {}

  /** For {@code tcp://}: Paho refuses an {@link SSLSocketFactory} there. */
  static SocketFactory plain() {
    return new Plain(SocketFactory.getDefault());
  }

  /** For {@code ssl://}: Paho requires an {@link SSLSocketFactory} there. */
  static SSLSocketFactory tls(SSLSocketFactory delegate) {
    return new Tls(delegate);
  }

  private static Socket noDelay(Socket s) throws IOException {
    s.setTcpNoDelay(true);
    return s;
  }

  private static final class Plain extends SocketFactory {
    private final SocketFactory d;

    Plain(SocketFactory d) {
      this.d = d;
    }

    @Override
    public Socket createSocket() throws IOException {
      return noDelay(d.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return noDelay(d.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort)
        throws IOException {
      return noDelay(d.createSocket(host, port, local, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return noDelay(d.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
        throws IOException {
      return noDelay(d.createSocket(host, port, local, localPort));
    }
  }

  private static final class Tls extends SSLSocketFactory {
    private final SSLSocketFactory d;

    Tls(SSLSocketFactory d) {
      this.d = d;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return d.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return d.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
      return noDelay(d.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      return noDelay(d.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return noDelay(d.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort)
        throws IOException {
      return noDelay(d.createSocket(host, port, local, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return noDelay(d.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
        throws IOException {
      return noDelay(d.createSocket(host, port, local, localPort));
    }
  }
}
