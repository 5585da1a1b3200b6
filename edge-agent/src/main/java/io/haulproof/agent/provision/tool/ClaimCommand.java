package io.haulproof.agent.provision.tool;

import io.haulproof.agent.provision.ClaimCode;
import io.haulproof.agent.provision.ClaimKey;
import io.haulproof.agent.provision.DeviceRef;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code haulproof provision claim}: at manufacturing, makes a device's label code and its claim
 * file.
 *
 * <p>The code is printed (it goes on the label); the claim file (0600) holds only the salted,
 * stretched key.
 */
@Command(
    name = "claim",
    mixinStandardHelpOptions = true,
    description = "Make a label claim code and the device's claim file.")
public final class ClaimCommand implements Callable<Integer> {
  @Option(names = "--device", required = true, description = "Device id.")
  String device;

  @Option(
      names = "--out",
      required = true,
      description = "Claim file to install on the device (written 0600).")
  Path out;

  @Override
  public Integer call() throws Exception {
    DeviceRef.requireName("device", device);
    ClaimCode code = ClaimCode.generate();
    ClaimKey.create(code, device).save(out);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("device", device);
    o.put("claim", code.label());
    o.put("claim_file", out.toString());
    JsonOut.print(o);
    return 0;
  }
}
