package io.haulproof.agent.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The few libc socket calls needed for AF_UNIX datagrams, which JDK 17 cannot do, bound with JNA.
 *
 * <p>size_t and ssize_t are {@link NativeLong} (their width on every Linux ABI the agent runs on:
 * armhf, arm64, x86-64); socklen_t is int. Constants are the Linux values for ARM and x86.
 */
interface LibC extends Library {
  int AF_UNIX = 1;
  int SOCK_DGRAM = 2;
  int SOCK_CLOEXEC = 0x80000;
  int MSG_DONTWAIT = 0x40;
  int MSG_NOSIGNAL = 0x4000;
  int EAGAIN = 11;

  /** sizeof(sun_path) in struct sockaddr_un (unix(7)). */
  int SUN_PATH_MAX = 108;

  int socket(int domain, int type, int protocol) throws LastErrorException;

  int bind(int fd, byte[] addr, int addrLen) throws LastErrorException;

  NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrLen)
      throws LastErrorException;

  NativeLong recv(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  static LibC load() {
    return Native.load("c", LibC.class);
  }

  /**
   * Encodes a struct sockaddr_un for {@code path}; a leading '@' means the Linux abstract namespace
   * (as in NOTIFY_SOCKET), whose name is not NUL-terminated.
   *
   * @return the struct bytes, exactly as long as the address length to pass
   * @throws IllegalArgumentException if the path is empty or longer than sun_path
   */
  static byte[] sockaddrUn(String path) {
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    boolean abstractName = name.length > 0 && name[0] == '@';
    int needed = abstractName ? name.length : name.length + 1;
    if (name.length == 0 || needed > SUN_PATH_MAX) {
      throw new IllegalArgumentException(
          "AF_UNIX socket path of "
              + name.length
              + " bytes, want 1.."
              + (SUN_PATH_MAX - 1)
              + ": "
              + path);
    }
    ByteBuffer addr = ByteBuffer.allocate(2 + needed).order(ByteOrder.nativeOrder());
    addr.putShort((short) AF_UNIX);
    addr.put(name);
    if (abstractName) {
      addr.put(2, (byte) 0);
    }
    return addr.array();
  }
}
