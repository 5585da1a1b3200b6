package io.haulproof.authenticator.node;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockCodec;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborArray;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborLimits;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.cbor.MapReader;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.poah.EntryKeys;
import io.haulproof.lightchain.poah.SequenceTracker;
import io.haulproof.lightchain.poah.TrustScores;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * All an authenticator keeps of one chain, and all it needs to verify the next block: the next
 * height, the last block it signed (header bytes and proposer signature), the RFC 9162 compact
 * range at that block's tree size, the device's registered keys (SubjectPublicKeyInfo DER) and
 * revoked kids, the device's last boot epoch and seq, and its own authentication of the last block
 * (to resend it, never to sign again), and the trust state of the chain's proposer: its score and,
 * once it equivocated, the signed evidence entry that bans it for good.
 *
 * <p>Trust is derived from this durable record: the node rebuilds it from the state files at start.
 *
 * <p>Size: O(log n) hashes plus the keys, whatever the chain's length. Stored as deterministic CBOR
 * ({@link #encode}) by {@link StateStore}.
 */
public record ChainState(
    String chain,
    long nextHeight,
    Optional<Block> last,
    CompactRange range,
    List<Bytes> keys,
    Set<Kid> revoked,
    Optional<Position> position,
    Optional<AuthenticatorSignature> lastAuthentication,
    int score,
    Optional<Bytes> evidence) {
  static final CborLimits LIMITS = new CborLimits(256 * 1024, 6);

  /** The device's last accepted entry. */
  public record Position(String deviceId, long bootEpoch, long seq) {}

  public ChainState {
    keys = List.copyOf(keys);
    revoked = Set.copyOf(revoked);
    if (nextHeight < 0 || last.isPresent() != (nextHeight > 0)) {
      throw new IllegalArgumentException("bad chain state at height " + nextHeight);
    }
  }

  /** The state of a chain whose genesis proposer key is {@code deviceKey} (SPKI DER). */
  public static ChainState genesis(String chain, Bytes deviceKey) {
    return new ChainState(
        chain,
        0,
        Optional.empty(),
        CompactRange.empty(),
        List.of(deviceKey),
        Set.of(),
        Optional.empty(),
        Optional.empty(),
        TrustScores.Policy.defaults().initial(),
        Optional.empty());
  }

  /** Whether the proposer may propose: never after equivocation, else at or above the threshold. */
  public boolean trusted() {
    return evidence.isEmpty() && score >= TrustScores.Policy.defaults().threshold();
  }

  /** This state after one more valid (true) or invalid (false) block by the proposer. */
  public ChainState scored(boolean valid) {
    TrustScores.Policy p = TrustScores.Policy.defaults();
    int s = valid ? Math.min(p.max(), score + p.reward()) : Math.max(0, score - p.penalty());
    return new ChainState(
        chain, nextHeight, last, range, keys, revoked, position, lastAuthentication, s, evidence);
  }

  /** This state with this node's signature on its last block, to resend. */
  public ChainState withAuthentication(AuthenticatorSignature signature) {
    return new ChainState(
        chain,
        nextHeight,
        last,
        range,
        keys,
        revoked,
        position,
        Optional.of(signature),
        score,
        evidence);
  }

  /** This state with the proposer banned by {@code evidenceEntry}. */
  public ChainState banned(Bytes evidenceEntry) {
    return new ChainState(
        chain,
        nextHeight,
        last,
        range,
        keys,
        revoked,
        position,
        lastAuthentication,
        0,
        Optional.of(evidenceEntry));
  }

  /** The keys as the PoAh rules want them. */
  public EntryKeys entryKeys() {
    EntryKeys k = EntryKeys.of();
    keys.forEach(spki -> k.register(PublicKeys.fromSpki(spki)));
    revoked.forEach(k::revoke);
    return k;
  }

  public SequenceTracker sequences() {
    return position
        .map(p -> SequenceTracker.startingAt(p.deviceId(), p.bootEpoch(), p.seq()))
        .orElseGet(SequenceTracker::new);
  }

  public Optional<Hash> lastHash() {
    return last.map(Block::hash);
  }

  public Bytes encode() {
    var b =
        CborMap.builder()
            .put(1, chain)
            .put(2, nextHeight)
            .opt(3, last.map(x -> BlockCodec.encode(stripped(x))))
            .put(4, range.size())
            .put(5, new CborArray(range.hashes().stream().map(h -> bstr(h.toBytes())).toList()))
            .put(6, new CborArray(keys.stream().map(ChainState::bstr).toList()))
            .put(
                7,
                new CborArray(new TreeSet<>(revoked).stream().map(k -> bstr(k.value())).toList()));
    position.ifPresent(p -> b.put(8, p.deviceId()).put(9, p.bootEpoch()).put(10, p.seq()));
    lastAuthentication.ifPresent(a -> b.put(11, a.kid().value()).put(12, a.signature()));
    b.put(13, score);
    evidence.ifPresent(e -> b.put(14, e));
    return Cbor.encode(b.build());
  }

  /**
   * Decodes a stored state strictly.
   *
   * @throws CborException if the bytes are not a state
   */
  public static ChainState decode(Bytes bytes) {
    MapReader r = MapReader.of(Cbor.decode(bytes, LIMITS), "chain state");
    try {
      String chain = r.requireText(1);
      long next = r.requireLong(2, 0, Long.MAX_VALUE);
      Optional<Block> last = r.optBytes(3).map(BlockCodec::decode);
      long size = r.requireLong(4, 0, Long.MAX_VALUE);
      List<Hash> hashes =
          r.requireList(5, v -> Hash.wrap(bytesOf(v).toByteArray())).stream().toList();
      List<Bytes> keys = r.requireList(6, ChainState::bytesOf);
      Set<Kid> revoked = Set.copyOf(r.requireList(7, v -> new Kid(bytesOf(v))));
      Optional<String> device = r.optText(8);
      Optional<Position> pos = Optional.empty();
      if (device.isPresent()) {
        pos =
            Optional.of(
                new Position(
                    device.get(),
                    r.requireLong(9, 0, Long.MAX_VALUE),
                    r.requireLong(10, 0, Long.MAX_VALUE)));
      }
      Optional<Bytes> authKid = r.optBytes(11);
      Optional<AuthenticatorSignature> auth = Optional.empty();
      if (authKid.isPresent()) {
        auth = Optional.of(new AuthenticatorSignature(new Kid(authKid.get()), r.requireBytes(12)));
      }
      int score = r.requireInt(13, 0, Integer.MAX_VALUE);
      Optional<Bytes> evidence = r.optBytes(14);
      r.end();
      return new ChainState(
          chain,
          next,
          last,
          new CompactRange(size, hashes),
          keys,
          revoked,
          pos,
          auth,
          score,
          evidence);
    } catch (IllegalArgumentException e) {
      throw new CborException("bad chain state: " + e.getMessage(), e);
    }
  }

  private static Block stripped(Block b) {
    return new Block(b.headerBytes(), b.header(), b.proposerSignature(), List.of());
  }

  private static CborValue bstr(Bytes b) {
    return new CborBytes(b);
  }

  private static Bytes bytesOf(CborValue v) {
    if (v instanceof CborBytes b) {
      return b.value();
    }
    throw new CborException("chain state: want byte string, got " + v.typeName());
  }
}
