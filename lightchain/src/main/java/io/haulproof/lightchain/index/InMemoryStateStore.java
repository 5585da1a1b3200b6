package io.haulproof.lightchain.index;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link DerivedStateStore} in memory: rebuilt from the log at every start. */
public final class InMemoryStateStore implements DerivedStateStore {
  private final Map<String, Bytes> map = new ConcurrentHashMap<>();

  @Override
  public Optional<Bytes> get(String key) {
    return Optional.ofNullable(map.get(key));
  }

  @Override
  public void putAll(Map<String, Bytes> values) {
    map.putAll(values);
  }

  @Override
  public void remove(String key) {
    map.remove(key);
  }

  @Override
  public void clear() {
    map.clear();
  }

  @Override
  public void commit() {}

  @Override
  public boolean rebuilt() {
    return false;
  }

  @Override
  public void close() {}
}
