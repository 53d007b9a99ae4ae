package org.mqbench.worker;

import com.google.gson.JsonArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The producer ledger's broker-name table (src/recorder/ledger/broker-names.ts): `<ledger>.brokers.json`,
 * a JSON array rewritten (tmp + rename) whenever a new name appears, so a killed producer still
 * leaves a complete table.
 */
final class BrokerNames {
  private final Path path;
  private final Map<String, Integer> index = new LinkedHashMap<>();

  BrokerNames(Path path) {
    this.path = path;
  }

  synchronized int indexOf(String name) {
    Integer i = index.get(name);
    if (i != null) return i;
    i = index.size();
    index.put(name, i);
    Path tmp = Paths.get(path + ".tmp");
    try {
      Files.write(tmp, toJson().toString().getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new RuntimeException("cannot write " + path + ": " + e.getMessage(), e);
    }
    return i;
  }

  synchronized JsonArray toJson() {
    JsonArray names = new JsonArray();
    index.keySet().forEach(names::add);
    return names;
  }
}
