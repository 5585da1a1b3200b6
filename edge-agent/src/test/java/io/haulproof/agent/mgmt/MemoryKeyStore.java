package io.haulproof.agent.mgmt;

import io.haulproof.agent.provision.DeviceKeyStore;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory key store for unit tests; the real stores are lightchain's file and PKCS#11 stores.
 */
public final class MemoryKeyStore implements DeviceKeyStore {
  private final Map<String, DeviceKey> keys = new HashMap<>();

  @Override
  public synchronized DeviceKey create(String alias) throws IOException {
    if (keys.containsKey(alias)) {
      throw new IOException("alias " + alias + " is taken");
    }
    DeviceKey k = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    keys.put(alias, k);
    return k;
  }

  @Override
  public synchronized Optional<DeviceKey> load(String alias) {
    return Optional.ofNullable(keys.get(alias));
  }

  @Override
  public synchronized void delete(String alias) {
    keys.remove(alias);
  }

  public synchronized int size() {
    return keys.size();
  }
}
